-- The directory sorts organisations by `sort_name`, the name as normalizeName() writes it
-- (src/features/geo/normalize.ts: lowercase, accents removed, œ → oe, every run of other characters
-- one space), served by the (sort_name, id) index. The app writes it with every name (creation,
-- rename, demo data).
-- SQLite only adds a NOT NULL column with a default: the '' default only exists for this ALTER
-- (schema.ts declares none, so every insert through drizzle must give the column).
ALTER TABLE `organisations` ADD `sort_name` text NOT NULL DEFAULT '';
--> statement-breakpoint
-- Backfill of the existing rows. SQLite cannot remove accents in general (lower() is ASCII only):
-- the letters of French and nearby languages, decomposed accents and the punctuation of names are
-- folded step by step, a dozen replace() at most per statement (the parser's nesting limit), which
-- gives normalizeName()'s result for these names. A rarer character keeps its place until the
-- organisation is renamed (it only moves that name in the alphabetical order).
UPDATE `organisations` SET `sort_name` = lower(`name`);
--> statement-breakpoint
UPDATE `organisations` SET `sort_name` =
  replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
    `sort_name`, 'à', 'a'), 'â', 'a'), 'ä', 'a'), 'á', 'a'), 'ã', 'a'), 'å', 'a'),
    'À', 'a'), 'Â', 'a'), 'Ä', 'a'), 'Á', 'a'), 'Ã', 'a'), 'Å', 'a');
--> statement-breakpoint
UPDATE `organisations` SET `sort_name` =
  replace(replace(replace(replace(replace(replace(replace(replace(
    `sort_name`, 'é', 'e'), 'è', 'e'), 'ê', 'e'), 'ë', 'e'), 'É', 'e'), 'È', 'e'), 'Ê', 'e'), 'Ë', 'e');
--> statement-breakpoint
UPDATE `organisations` SET `sort_name` =
  replace(replace(replace(replace(replace(replace(replace(replace(
    `sort_name`, 'î', 'i'), 'ï', 'i'), 'í', 'i'), 'ì', 'i'), 'Î', 'i'), 'Ï', 'i'), 'Í', 'i'), 'Ì', 'i');
--> statement-breakpoint
UPDATE `organisations` SET `sort_name` =
  replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
    `sort_name`, 'ô', 'o'), 'ö', 'o'), 'ó', 'o'), 'ò', 'o'), 'õ', 'o'),
    'Ô', 'o'), 'Ö', 'o'), 'Ó', 'o'), 'Ò', 'o'), 'Õ', 'o');
--> statement-breakpoint
UPDATE `organisations` SET `sort_name` =
  replace(replace(replace(replace(replace(replace(replace(replace(
    `sort_name`, 'ù', 'u'), 'û', 'u'), 'ü', 'u'), 'ú', 'u'), 'Ù', 'u'), 'Û', 'u'), 'Ü', 'u'), 'Ú', 'u');
--> statement-breakpoint
UPDATE `organisations` SET `sort_name` =
  replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
    `sort_name`, 'ç', 'c'), 'Ç', 'c'), 'ñ', 'n'), 'Ñ', 'n'), 'ÿ', 'y'), 'Ÿ', 'y'), 'ý', 'y'), 'Ý', 'y'),
    'œ', 'oe'), 'Œ', 'oe'), 'æ', 'ae'), 'Æ', 'ae');
--> statement-breakpoint
-- Decomposed accents (a letter followed by a combining grave, acute, circumflex, tilde, diaeresis, cedilla).
UPDATE `organisations` SET `sort_name` =
  replace(replace(replace(replace(replace(replace(
    `sort_name`, char(768), ''), char(769), ''), char(770), ''), char(771), ''), char(776), ''), char(807), '');
--> statement-breakpoint
-- Punctuation and spaces become spaces (no-break spaces: char(160), char(8239)).
UPDATE `organisations` SET `sort_name` =
  replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
    `sort_name`, '''', ' '), '’', ' '), '‘', ' '), '-', ' '), '–', ' '), '—', ' '),
    '.', ' '), ',', ' '), ';', ' '), ':', ' '), '!', ' '), '?', ' ');
--> statement-breakpoint
UPDATE `organisations` SET `sort_name` =
  replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
    `sort_name`, '(', ' '), ')', ' '), '[', ' '), ']', ' '), '&', ' '), '/', ' '),
    '"', ' '), '«', ' '), '»', ' '), '+', ' '), '_', ' '), '…', ' ');
--> statement-breakpoint
UPDATE `organisations` SET `sort_name` =
  replace(replace(replace(replace(replace(replace(replace(replace(replace(
    `sort_name`, '*', ' '), '#', ' '), '@', ' '), '°', ' '), '“', ' '), '”', ' '),
    char(160), ' '), char(8239), ' '), char(9), ' ');
--> statement-breakpoint
-- One space between words (runs of up to 32 spaces), none at the ends.
UPDATE `organisations` SET `sort_name` =
  trim(replace(replace(replace(replace(replace(`sort_name`, '  ', ' '), '  ', ' '), '  ', ' '), '  ', ' '), '  ', ' '));
--> statement-breakpoint
CREATE INDEX `organisations_sort_name_idx` ON `organisations` (`sort_name`,`id`);
