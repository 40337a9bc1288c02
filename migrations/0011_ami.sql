CREATE TABLE `ami_applications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`reference` text,
	`lead_organisation_id` integer NOT NULL,
	`region` text NOT NULL,
	`departement` text NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`wave_id` integer,
	`assignee_id` integer,
	`project_name` text DEFAULT '' NOT NULL,
	`stage` text,
	`strategy` text DEFAULT '' NOT NULL,
	`activities` text DEFAULT '' NOT NULL,
	`governance` text DEFAULT '' NOT NULL,
	`innovation` text DEFAULT '' NOT NULL,
	`territory` text DEFAULT '{"communeCodes":[],"departements":[],"qpv":false,"rural":false}' NOT NULL,
	`jobs_current` integer,
	`jobs_planned` integer,
	`budget_total` integer,
	`amount_requested` integer,
	`cofunding` text DEFAULT '[]' NOT NULL,
	`self_financing_share` real,
	`state_aid_received` integer,
	`previously_funded` integer,
	`amount_granted` integer,
	`reopened_sections` text DEFAULT '[]' NOT NULL,
	`changes_due_at` text,
	`search_text` text DEFAULT '' NOT NULL,
	`created_by` integer,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`submitted_at` text,
	`decided_at` text,
	FOREIGN KEY (`lead_organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`wave_id`) REFERENCES `ami_waves`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`assignee_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ami_applications_reference_unique` ON `ami_applications` (`reference`);--> statement-breakpoint
CREATE INDEX `ami_applications_lead_idx` ON `ami_applications` (`lead_organisation_id`,`status`);--> statement-breakpoint
CREATE INDEX `ami_applications_status_idx` ON `ami_applications` (`status`,`submitted_at`);--> statement-breakpoint
CREATE INDEX `ami_applications_region_idx` ON `ami_applications` (`region`,`status`,`submitted_at`);--> statement-breakpoint
CREATE INDEX `ami_applications_wave_idx` ON `ami_applications` (`wave_id`,`status`);--> statement-breakpoint
CREATE INDEX `ami_applications_assignee_idx` ON `ami_applications` (`assignee_id`,`status`);--> statement-breakpoint
CREATE INDEX `ami_applications_due_idx` ON `ami_applications` (`status`,`changes_due_at`);--> statement-breakpoint
CREATE TABLE `ami_attachments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`application_id` integer NOT NULL,
	`message_id` integer,
	`name` text NOT NULL,
	`content_type` text NOT NULL,
	`size` integer NOT NULL,
	`storage_key` text NOT NULL,
	`uploaded_by` integer,
	`created_at` text NOT NULL,
	FOREIGN KEY (`application_id`) REFERENCES `ami_applications`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`message_id`) REFERENCES `ami_messages`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`uploaded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ami_attachments_storage_key_unique` ON `ami_attachments` (`storage_key`);--> statement-breakpoint
CREATE INDEX `ami_attachments_application_idx` ON `ami_attachments` (`application_id`,`message_id`);--> statement-breakpoint
CREATE TABLE `ami_conflicts` (
	`application_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`note` text,
	`declared_at` text NOT NULL,
	PRIMARY KEY(`application_id`, `user_id`),
	FOREIGN KEY (`application_id`) REFERENCES `ami_applications`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `ami_conflicts_user_idx` ON `ami_conflicts` (`user_id`);--> statement-breakpoint
CREATE TABLE `ami_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`application_id` integer NOT NULL,
	`actor_id` integer,
	`actor_name` text NOT NULL,
	`from_status` text NOT NULL,
	`to_status` text NOT NULL,
	`reason` text,
	`visibility` text NOT NULL,
	`details` text,
	`at` text NOT NULL,
	FOREIGN KEY (`application_id`) REFERENCES `ami_applications`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`actor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `ami_events_application_idx` ON `ami_events` (`application_id`,`id`);--> statement-breakpoint
CREATE INDEX `ami_events_to_idx` ON `ami_events` (`to_status`,`at`);--> statement-breakpoint
CREATE TABLE `ami_members` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`application_id` integer NOT NULL,
	`position` integer NOT NULL,
	`organisation_id` integer,
	`siret` text NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`commune_code` text NOT NULL,
	`role` text NOT NULL,
	FOREIGN KEY (`application_id`) REFERENCES `ami_applications`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`commune_code`) REFERENCES `communes`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ami_members_siret_idx` ON `ami_members` (`application_id`,`siret`);--> statement-breakpoint
CREATE TABLE `ami_messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`application_id` integer NOT NULL,
	`author_id` integer,
	`author_name` text NOT NULL,
	`from_staff` integer NOT NULL,
	`body` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`application_id`) REFERENCES `ami_applications`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `ami_messages_application_idx` ON `ami_messages` (`application_id`,`id`);--> statement-breakpoint
CREATE TABLE `ami_notes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`application_id` integer NOT NULL,
	`author_id` integer,
	`author_name` text NOT NULL,
	`body` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`application_id`) REFERENCES `ami_applications`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `ami_notes_application_idx` ON `ami_notes` (`application_id`,`id`);--> statement-breakpoint
CREATE TABLE `ami_reference_counters` (
	`year` integer PRIMARY KEY NOT NULL,
	`last` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `ami_scores` (
	`application_id` integer NOT NULL,
	`reviewer_id` integer NOT NULL,
	`cooperation` integer NOT NULL,
	`pooling` integer NOT NULL,
	`anchoring` integer NOT NULL,
	`innovation` integer NOT NULL,
	`jobs` integer NOT NULL,
	`economic_model` integer NOT NULL,
	`total` real NOT NULL,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`application_id`, `reviewer_id`),
	FOREIGN KEY (`application_id`) REFERENCES `ami_applications`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`reviewer_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `ami_scores_reviewer_idx` ON `ami_scores` (`reviewer_id`);--> statement-breakpoint
CREATE TABLE `ami_waves` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`opens_on` text NOT NULL,
	`closes_on` text NOT NULL,
	`envelope` integer NOT NULL,
	`ceiling` integer NOT NULL,
	`created_by` integer,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `ami_waves_dates_idx` ON `ami_waves` (`opens_on`,`closes_on`);--> statement-breakpoint
CREATE TABLE `pole_status_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`pole_id` integer NOT NULL,
	`from_status` text NOT NULL,
	`to_status` text NOT NULL,
	`reason` text NOT NULL,
	`actor_id` integer,
	`application_id` integer,
	`at` text NOT NULL,
	FOREIGN KEY (`pole_id`) REFERENCES `poles`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`actor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`application_id`) REFERENCES `ami_applications`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `pole_status_events_pole_idx` ON `pole_status_events` (`pole_id`,`id`);--> statement-breakpoint
CREATE TABLE `staff_notification_settings` (
	`user_id` integer PRIMARY KEY NOT NULL,
	`new_dossiers` text DEFAULT 'daily' NOT NULL,
	`new_messages` text DEFAULT 'daily' NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `staff_regions` (
	`user_id` integer NOT NULL,
	`region` text NOT NULL,
	PRIMARY KEY(`user_id`, `region`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `staff_regions_region_idx` ON `staff_regions` (`region`);--> statement-breakpoint
-- The audit trail is append-only (docs/decisions/019): no UPDATE but the actor's account being
-- deleted (actor_id → NULL, everything else unchanged), no DELETE at all.
CREATE TRIGGER `ami_events_no_update` BEFORE UPDATE ON `ami_events`
WHEN NOT (NEW.actor_id IS NULL AND OLD.actor_id IS NOT NULL
  AND NEW.id = OLD.id AND NEW.application_id = OLD.application_id AND NEW.actor_name = OLD.actor_name
  AND NEW.from_status = OLD.from_status AND NEW.to_status = OLD.to_status
  AND NEW.reason IS OLD.reason AND NEW.visibility = OLD.visibility
  AND NEW.details IS OLD.details AND NEW.at = OLD.at)
BEGIN
  SELECT RAISE(ABORT, 'ami_events is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `ami_events_no_delete` BEFORE DELETE ON `ami_events`
BEGIN
  SELECT RAISE(ABORT, 'ami_events is append-only');
END;
