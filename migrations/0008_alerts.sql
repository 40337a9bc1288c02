CREATE TABLE `listing_renewal_tokens` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`listing_id` integer NOT NULL,
	`created_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`used_at` text,
	FOREIGN KEY (`listing_id`) REFERENCES `listings`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `listing_renewal_tokens_listing_idx` ON `listing_renewal_tokens` (`listing_id`);
