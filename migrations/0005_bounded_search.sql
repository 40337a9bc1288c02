CREATE TABLE `organisation_positions` (
	`lat` real NOT NULL,
	`lon` real NOT NULL,
	`rows` integer NOT NULL,
	PRIMARY KEY(`lat`, `lon`)
);
--> statement-breakpoint
DROP INDEX `organisations_lat_lon_idx`;--> statement-breakpoint
CREATE INDEX `organisations_position_idx` ON `organisations` (`lat`,`lon`,`sort_name`,`id`);--> statement-breakpoint
DROP INDEX `poles_lat_lon_idx`;--> statement-breakpoint
CREATE INDEX `poles_position_idx` ON `poles` (`lat`,`lon`,`name`,`id`);--> statement-breakpoint
-- Bounded search (docs/decisions/015-bounded-search.md). Prefix indexes up to 10 characters: a
-- prefix query (`"solidaire"*`) is then read from one index entry in rowid order, so LIMIT stops it
-- early; a prefix longer than the index's sizes made FTS5 merge every matching term's full list
-- first (all 71,000 matches of `solidaire` at 100,000 organisations). ftsQuery() cuts prefixes at
-- 10 characters. The FTS tables are external content: dropping and rebuilding them keeps the data.
DROP TABLE organisations_fts;
--> statement-breakpoint
CREATE VIRTUAL TABLE organisations_fts USING fts5(
  name, description,
  content='organisations', content_rowid='id',
  tokenize="unicode61 remove_diacritics 2", prefix='2 3 4 5 6 7 8 9 10'
);
--> statement-breakpoint
INSERT INTO organisations_fts(organisations_fts) VALUES ('rebuild');
--> statement-breakpoint
DROP TABLE poles_fts;
--> statement-breakpoint
CREATE VIRTUAL TABLE poles_fts USING fts5(
  name, description,
  content='poles', content_rowid='id',
  tokenize="unicode61 remove_diacritics 2", prefix='2 3 4 5 6 7 8 9 10'
);
--> statement-breakpoint
INSERT INTO poles_fts(poles_fts) VALUES ('rebuild');
--> statement-breakpoint
-- Short commune prefixes (1 to 3 characters match thousands of communes) are read from these
-- indexes already in population order, instead of sorting every match (searchCommunes).
CREATE INDEX communes_name_prefix1_idx ON communes (substr(search_name, 1, 1), population DESC);
--> statement-breakpoint
CREATE INDEX communes_name_prefix2_idx ON communes (substr(search_name, 1, 2), population DESC);
--> statement-breakpoint
CREATE INDEX communes_name_prefix3_idx ON communes (substr(search_name, 1, 3), population DESC);
--> statement-breakpoint
CREATE INDEX communes_alt_prefix1_idx ON communes (substr(search_alt, 1, 1), population DESC);
--> statement-breakpoint
CREATE INDEX communes_alt_prefix2_idx ON communes (substr(search_alt, 1, 2), population DESC);
--> statement-breakpoint
CREATE INDEX communes_alt_prefix3_idx ON communes (substr(search_alt, 1, 3), population DESC);
--> statement-breakpoint
-- organisation_positions: organisations per position, kept by the three triggers below.
INSERT INTO organisation_positions (lat, lon, rows)
  SELECT lat, lon, count(*) FROM organisations WHERE lat IS NOT NULL AND lon IS NOT NULL GROUP BY lat, lon;
--> statement-breakpoint
CREATE TRIGGER organisation_positions_insert AFTER INSERT ON organisations
WHEN new.lat IS NOT NULL AND new.lon IS NOT NULL BEGIN
  INSERT INTO organisation_positions (lat, lon, rows) VALUES (new.lat, new.lon, 1)
    ON CONFLICT (lat, lon) DO UPDATE SET rows = rows + 1;
END;
--> statement-breakpoint
CREATE TRIGGER organisation_positions_delete AFTER DELETE ON organisations
WHEN old.lat IS NOT NULL AND old.lon IS NOT NULL BEGIN
  UPDATE organisation_positions SET rows = rows - 1 WHERE lat = old.lat AND lon = old.lon;
  DELETE FROM organisation_positions WHERE lat = old.lat AND lon = old.lon AND rows <= 0;
END;
--> statement-breakpoint
CREATE TRIGGER organisation_positions_update AFTER UPDATE OF lat, lon ON organisations
WHEN old.lat IS NOT new.lat OR old.lon IS NOT new.lon BEGIN
  UPDATE organisation_positions SET rows = rows - 1 WHERE lat = old.lat AND lon = old.lon;
  DELETE FROM organisation_positions WHERE lat = old.lat AND lon = old.lon AND rows <= 0;
  INSERT INTO organisation_positions (lat, lon, rows) SELECT new.lat, new.lon, 1
    WHERE new.lat IS NOT NULL AND new.lon IS NOT NULL
    ON CONFLICT (lat, lon) DO UPDATE SET rows = rows + 1;
END;
