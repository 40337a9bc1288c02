CREATE TABLE `app_meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `commune_postal_codes` (
	`postal_code` text NOT NULL,
	`commune_code` text NOT NULL,
	PRIMARY KEY(`postal_code`, `commune_code`),
	FOREIGN KEY (`commune_code`) REFERENCES `communes`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `communes` (
	`code` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`name` text NOT NULL,
	`search_name` text NOT NULL,
	`search_alt` text NOT NULL,
	`departement` text NOT NULL,
	`region` text NOT NULL,
	`parent` text,
	`postal_codes` text NOT NULL,
	`lat` real,
	`lon` real,
	`population` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `communes_search_name_idx` ON `communes` (`search_name`);--> statement-breakpoint
CREATE INDEX `communes_search_alt_idx` ON `communes` (`search_alt`);--> statement-breakpoint
CREATE INDEX `communes_departement_idx` ON `communes` (`departement`);