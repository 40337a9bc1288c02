-- Home page counts: published, unexpired listings by type, counted from the index alone.
CREATE INDEX `listings_public_type_idx` ON `listings` (`status`,`type`,`expires_at`);
