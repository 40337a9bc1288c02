CREATE TABLE `match_activity` (
	`organisation_id` integer PRIMARY KEY NOT NULL,
	`active_at` text NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `match_dismissals` (
	`organisation_id` integer NOT NULL,
	`candidate_organisation_id` integer NOT NULL,
	`user_id` integer,
	`created_at` text NOT NULL,
	PRIMARY KEY(`organisation_id`, `candidate_organisation_id`),
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`candidate_organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `match_dismissals_candidate_idx` ON `match_dismissals` (`candidate_organisation_id`);--> statement-breakpoint
CREATE TABLE `match_email_opt_outs` (
	`user_id` integer PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
-- Hand-written (docs/decisions/020): the number of listings each stemmed word occurs in, read from
-- listings_fts itself (kept fresh by its triggers), so matching weighs shared words by rarity.
CREATE VIRTUAL TABLE `listings_fts_vocab` USING fts5vocab(`listings_fts`, 'row');
--> statement-breakpoint
-- Candidate listings of one (category, type) in a box, read from the index alone until they match.
CREATE INDEX `listings_match_idx` ON `listings` (`category`, `type`, `lat`, `lon`, `radius_km`) WHERE `status` = 'published';
--> statement-breakpoint
INSERT INTO `match_activity` (`organisation_id`, `active_at`)
  SELECT `organisation_id`, max(`at`) FROM (
    SELECT `organisation_id`, `updated_at` AS `at` FROM `listings` WHERE `status` = 'published'
    UNION ALL SELECT `organisation_id`, `created_at` FROM `thread_messages`)
  GROUP BY `organisation_id`;
--> statement-breakpoint
CREATE TRIGGER `match_activity_listing_insert` AFTER INSERT ON `listings` WHEN new.`status` = 'published' BEGIN
  INSERT INTO `match_activity` (`organisation_id`, `active_at`) VALUES (new.`organisation_id`, new.`updated_at`)
    ON CONFLICT (`organisation_id`) DO UPDATE SET `active_at` = max(`active_at`, excluded.`active_at`);
END;
--> statement-breakpoint
CREATE TRIGGER `match_activity_listing_update` AFTER UPDATE OF `status`, `updated_at` ON `listings` WHEN new.`status` = 'published' BEGIN
  INSERT INTO `match_activity` (`organisation_id`, `active_at`) VALUES (new.`organisation_id`, new.`updated_at`)
    ON CONFLICT (`organisation_id`) DO UPDATE SET `active_at` = max(`active_at`, excluded.`active_at`);
END;
--> statement-breakpoint
CREATE TRIGGER `match_activity_message_insert` AFTER INSERT ON `thread_messages` BEGIN
  INSERT INTO `match_activity` (`organisation_id`, `active_at`) VALUES (new.`organisation_id`, new.`created_at`)
    ON CONFLICT (`organisation_id`) DO UPDATE SET `active_at` = max(`active_at`, excluded.`active_at`);
END;
