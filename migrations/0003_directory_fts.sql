-- Full-text search over organisations and pôles (names and descriptions), accent-insensitive,
-- with prefix indexes so `econ` finds `Économie`. External content: the FTS tables hold only the index.
CREATE VIRTUAL TABLE organisations_fts USING fts5(
  name, description,
  content='organisations', content_rowid='id',
  tokenize="unicode61 remove_diacritics 2", prefix='2 3 4'
);
--> statement-breakpoint
CREATE TRIGGER organisations_fts_insert AFTER INSERT ON organisations BEGIN
  INSERT INTO organisations_fts(rowid, name, description) VALUES (new.id, new.name, new.description);
END;
--> statement-breakpoint
CREATE TRIGGER organisations_fts_delete AFTER DELETE ON organisations BEGIN
  INSERT INTO organisations_fts(organisations_fts, rowid, name, description) VALUES ('delete', old.id, old.name, old.description);
END;
--> statement-breakpoint
CREATE TRIGGER organisations_fts_update AFTER UPDATE OF name, description ON organisations BEGIN
  INSERT INTO organisations_fts(organisations_fts, rowid, name, description) VALUES ('delete', old.id, old.name, old.description);
  INSERT INTO organisations_fts(rowid, name, description) VALUES (new.id, new.name, new.description);
END;
--> statement-breakpoint
CREATE VIRTUAL TABLE poles_fts USING fts5(
  name, description,
  content='poles', content_rowid='id',
  tokenize="unicode61 remove_diacritics 2", prefix='2 3 4'
);
--> statement-breakpoint
CREATE TRIGGER poles_fts_insert AFTER INSERT ON poles BEGIN
  INSERT INTO poles_fts(rowid, name, description) VALUES (new.id, new.name, new.description);
END;
--> statement-breakpoint
CREATE TRIGGER poles_fts_delete AFTER DELETE ON poles BEGIN
  INSERT INTO poles_fts(poles_fts, rowid, name, description) VALUES ('delete', old.id, old.name, old.description);
END;
--> statement-breakpoint
CREATE TRIGGER poles_fts_update AFTER UPDATE OF name, description ON poles BEGIN
  INSERT INTO poles_fts(poles_fts, rowid, name, description) VALUES ('delete', old.id, old.name, old.description);
  INSERT INTO poles_fts(rowid, name, description) VALUES (new.id, new.name, new.description);
END;
