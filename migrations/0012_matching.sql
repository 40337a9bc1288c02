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
-- Hand-written: the number of listings each stemmed word occurs in, read from listings_fts itself
-- (kept fresh by its triggers), so matching weighs shared words by rarity (docs/decisions/020).
CREATE VIRTUAL TABLE `listings_fts_vocab` USING fts5vocab(`listings_fts`, 'row');
