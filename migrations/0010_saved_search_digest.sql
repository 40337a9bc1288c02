-- listing_renewal_tokens (0008) and listings_public_type_idx (0009) were hand-written: drizzle-kit
-- generated them again here (its snapshot did not know them); removed, the snapshot keeps them.
ALTER TABLE `emails` ADD `html` text;
