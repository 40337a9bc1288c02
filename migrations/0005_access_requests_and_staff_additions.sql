CREATE TABLE `organisation_access_requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`organisation_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`status` text NOT NULL,
	`created_at` text NOT NULL,
	`decided_at` text,
	`decided_by` integer,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`decided_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `organisation_access_requests_org_idx` ON `organisation_access_requests` (`organisation_id`,`status`);--> statement-breakpoint
CREATE INDEX `organisation_access_requests_user_idx` ON `organisation_access_requests` (`user_id`);--> statement-breakpoint
ALTER TABLE `pole_members` ADD `added_by` integer REFERENCES users(id) ON DELETE set null;--> statement-breakpoint
ALTER TABLE `pole_members` ADD `added_at` text;