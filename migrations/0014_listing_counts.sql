-- Listings per (status, type, expiry day), kept by triggers in the same transaction as every write
-- to `listings` (hand-written, like 0013). The home page counts the public offers and needs from the
-- rows of later expiry days (a few hundred rows) plus the listings that expire later today (a short
-- range of listings_public_type_idx), instead of counting up to 10,000 index entries per type; exact
-- whether or not the daily job has closed yesterday's expired listings yet.
CREATE TABLE `listing_counts` (
	`status` text NOT NULL,
	`type` text NOT NULL,
	`expires_day` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`status`, `type`, `expires_day`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `listing_counts` (`status`, `type`, `expires_day`, `n`)
SELECT `status`, `type`, substr(`expires_at`, 1, 10), count(*) FROM `listings` GROUP BY 1, 2, 3;
--> statement-breakpoint
CREATE TRIGGER `listing_counts_insert` AFTER INSERT ON `listings` BEGIN
  INSERT OR IGNORE INTO `listing_counts` VALUES (new.`status`, new.`type`, substr(new.`expires_at`, 1, 10), 0);
  UPDATE `listing_counts` SET `n` = `n` + 1
  WHERE `status` = new.`status` AND `type` = new.`type` AND `expires_day` = substr(new.`expires_at`, 1, 10);
END;
--> statement-breakpoint
CREATE TRIGGER `listing_counts_delete` AFTER DELETE ON `listings` BEGIN
  UPDATE `listing_counts` SET `n` = `n` - 1
  WHERE `status` = old.`status` AND `type` = old.`type` AND `expires_day` = substr(old.`expires_at`, 1, 10);
  DELETE FROM `listing_counts`
  WHERE `status` = old.`status` AND `type` = old.`type` AND `expires_day` = substr(old.`expires_at`, 1, 10) AND `n` = 0;
END;
--> statement-breakpoint
CREATE TRIGGER `listing_counts_update` AFTER UPDATE OF `status`, `type`, `expires_at` ON `listings`
WHEN old.`status` IS NOT new.`status` OR old.`type` IS NOT new.`type`
  OR substr(old.`expires_at`, 1, 10) IS NOT substr(new.`expires_at`, 1, 10) BEGIN
  UPDATE `listing_counts` SET `n` = `n` - 1
  WHERE `status` = old.`status` AND `type` = old.`type` AND `expires_day` = substr(old.`expires_at`, 1, 10);
  DELETE FROM `listing_counts`
  WHERE `status` = old.`status` AND `type` = old.`type` AND `expires_day` = substr(old.`expires_at`, 1, 10) AND `n` = 0;
  INSERT OR IGNORE INTO `listing_counts` VALUES (new.`status`, new.`type`, substr(new.`expires_at`, 1, 10), 0);
  UPDATE `listing_counts` SET `n` = `n` + 1
  WHERE `status` = new.`status` AND `type` = new.`type` AND `expires_day` = substr(new.`expires_at`, 1, 10);
END;
