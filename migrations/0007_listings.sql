CREATE TABLE `job_marks` (
	`job` text NOT NULL,
	`key` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`job`, `key`)
);
--> statement-breakpoint
CREATE TABLE `listing_photos` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`listing_id` integer NOT NULL,
	`storage_key` text NOT NULL,
	`content_type` text NOT NULL,
	`size` integer NOT NULL,
	`width` integer,
	`height` integer,
	`alt` text DEFAULT '' NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`listing_id`) REFERENCES `listings`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `listing_photos_storage_key_unique` ON `listing_photos` (`storage_key`);--> statement-breakpoint
CREATE INDEX `listing_photos_listing_idx` ON `listing_photos` (`listing_id`,`position`);--> statement-breakpoint
CREATE TABLE `listing_reports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`listing_id` integer NOT NULL,
	`reporter_id` integer,
	`reason` text NOT NULL,
	`note` text,
	`status` text DEFAULT 'open' NOT NULL,
	`created_at` text NOT NULL,
	`resolved_at` text,
	`resolved_by` integer,
	FOREIGN KEY (`listing_id`) REFERENCES `listings`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`reporter_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`resolved_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `listing_reports_status_idx` ON `listing_reports` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `listing_reports_listing_idx` ON `listing_reports` (`listing_id`);--> statement-breakpoint
CREATE TABLE `listings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`organisation_id` integer NOT NULL,
	`pole_id` integer,
	`on_behalf_of_pole_id` integer,
	`taken_over_at` text,
	`created_by` integer,
	`type` text NOT NULL,
	`category` text NOT NULL,
	`title` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`commune_code` text NOT NULL,
	`departement` text NOT NULL,
	`region` text NOT NULL,
	`lat` real,
	`lon` real,
	`radius_km` integer DEFAULT 30 NOT NULL,
	`available_from` text,
	`available_until` text,
	`terms` text NOT NULL,
	`measure_value` real,
	`measure_unit` text,
	`status` text DEFAULT 'draft' NOT NULL,
	`closed_reason` text,
	`published_at` text,
	`closed_at` text,
	`expires_at` text NOT NULL,
	`expiry_reminder_sent_at` text,
	`stem_title` text DEFAULT '' NOT NULL,
	`stem_body` text DEFAULT '' NOT NULL,
	`is_demo` integer DEFAULT false NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`pole_id`) REFERENCES `poles`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`on_behalf_of_pole_id`) REFERENCES `poles`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`commune_code`) REFERENCES `communes`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `listings_organisation_idx` ON `listings` (`organisation_id`,`status`);--> statement-breakpoint
CREATE INDEX `listings_pole_idx` ON `listings` (`pole_id`,`status`);--> statement-breakpoint
CREATE INDEX `listings_public_recent_idx` ON `listings` (`status`,`published_at`);--> statement-breakpoint
CREATE INDEX `listings_expiry_idx` ON `listings` (`status`,`expires_at`);--> statement-breakpoint
CREATE INDEX `listings_position_idx` ON `listings` (`lat`,`lon`);--> statement-breakpoint
CREATE INDEX `listings_departement_idx` ON `listings` (`departement`);--> statement-breakpoint
CREATE INDEX `listings_region_idx` ON `listings` (`region`);--> statement-breakpoint
CREATE INDEX `listings_category_idx` ON `listings` (`category`,`type`);--> statement-breakpoint
CREATE TABLE `moderation_actions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`listing_id` integer NOT NULL,
	`report_id` integer,
	`actor_id` integer,
	`action` text NOT NULL,
	`reason` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`listing_id`) REFERENCES `listings`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`report_id`) REFERENCES `listing_reports`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`actor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `moderation_actions_listing_idx` ON `moderation_actions` (`listing_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `notification_settings` (
	`user_id` integer PRIMARY KEY NOT NULL,
	`messages` text DEFAULT 'immediate' NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `saved_searches` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`name` text NOT NULL,
	`query` text NOT NULL,
	`alerts` integer DEFAULT true NOT NULL,
	`last_alert_at` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `saved_searches_user_idx` ON `saved_searches` (`user_id`);--> statement-breakpoint
CREATE INDEX `saved_searches_alerts_idx` ON `saved_searches` (`alerts`);--> statement-breakpoint
CREATE TABLE `thread_messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`thread_id` integer NOT NULL,
	`organisation_id` integer NOT NULL,
	`author_id` integer,
	`body` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`thread_id`) REFERENCES `threads`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `thread_messages_thread_idx` ON `thread_messages` (`thread_id`,`id`);--> statement-breakpoint
CREATE TABLE `thread_reads` (
	`thread_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`last_read_message_id` integer NOT NULL,
	PRIMARY KEY(`thread_id`, `user_id`),
	FOREIGN KEY (`thread_id`) REFERENCES `threads`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `thread_reads_user_idx` ON `thread_reads` (`user_id`);--> statement-breakpoint
CREATE TABLE `threads` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`listing_id` integer NOT NULL,
	`owner_organisation_id` integer NOT NULL,
	`responder_organisation_id` integer NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`decline_reason` text,
	`decline_note` text,
	`outcome_euros` real,
	`outcome_fte` real,
	`outcome_m2` real,
	`outcome_tonnes` real,
	`outcome_people_trained` integer,
	`outcome_note` text,
	`created_by` integer,
	`accepted_at` text,
	`declined_at` text,
	`concluded_at` text,
	`last_message_at` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`listing_id`) REFERENCES `listings`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`owner_organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`responder_organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `threads_listing_responder_idx` ON `threads` (`listing_id`,`responder_organisation_id`);--> statement-breakpoint
CREATE INDEX `threads_owner_idx` ON `threads` (`owner_organisation_id`,`last_message_at`);--> statement-breakpoint
CREATE INDEX `threads_responder_idx` ON `threads` (`responder_organisation_id`,`last_message_at`);--> statement-breakpoint
CREATE INDEX `threads_status_idx` ON `threads` (`status`);--> statement-breakpoint
CREATE TABLE `unsubscribe_tokens` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`user_id` integer NOT NULL,
	`scope` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `unsubscribe_tokens_user_idx` ON `unsubscribe_tokens` (`user_id`,`scope`);--> statement-breakpoint
ALTER TABLE `emails` ADD `headers` text;--> statement-breakpoint
-- Listing search (French-aware): the application writes stem_title / stem_body — the words of the
-- title and description, accents removed and French-stemmed (src/features/listings/search-text.ts) —
-- and this external-content index follows them through the triggers below.
CREATE VIRTUAL TABLE listings_fts USING fts5(
  stem_title, stem_body,
  content='listings', content_rowid='id',
  tokenize="unicode61 remove_diacritics 2", prefix='3 4 5 6 7 8 9 10'
);
--> statement-breakpoint
CREATE TRIGGER listings_fts_insert AFTER INSERT ON listings BEGIN
  INSERT INTO listings_fts(rowid, stem_title, stem_body) VALUES (new.id, new.stem_title, new.stem_body);
END;
--> statement-breakpoint
CREATE TRIGGER listings_fts_delete AFTER DELETE ON listings BEGIN
  INSERT INTO listings_fts(listings_fts, rowid, stem_title, stem_body) VALUES ('delete', old.id, old.stem_title, old.stem_body);
END;
--> statement-breakpoint
CREATE TRIGGER listings_fts_update AFTER UPDATE OF stem_title, stem_body ON listings BEGIN
  INSERT INTO listings_fts(listings_fts, rowid, stem_title, stem_body) VALUES ('delete', old.id, old.stem_title, old.stem_body);
  INSERT INTO listings_fts(rowid, stem_title, stem_body) VALUES (new.id, new.stem_title, new.stem_body);
END;
