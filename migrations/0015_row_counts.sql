-- Rows per table, kept by triggers in the same transaction as every insert and delete (hand-written,
-- like 0013 and 0014). The organisations directory without filters shows its exact total from one
-- row instead of counting up to 10,001 index entries (« plus de 10 000 »).
CREATE TABLE `row_counts` (
	`name` text PRIMARY KEY NOT NULL,
	`n` integer NOT NULL
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `row_counts` (`name`, `n`) SELECT 'organisations', count(*) FROM `organisations`;
--> statement-breakpoint
CREATE TRIGGER `row_counts_organisations_insert` AFTER INSERT ON `organisations` BEGIN
  UPDATE `row_counts` SET `n` = `n` + 1 WHERE `name` = 'organisations';
END;
--> statement-breakpoint
CREATE TRIGGER `row_counts_organisations_delete` AFTER DELETE ON `organisations` BEGIN
  UPDATE `row_counts` SET `n` = `n` - 1 WHERE `name` = 'organisations';
END;
