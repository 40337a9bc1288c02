-- Listing performance at 300k listings (hand-written, indexes only; 0012 is reserved for another branch).
-- Related listings on a listing page: the newest published of one category, read in order (no sort).
CREATE INDEX `listings_related_idx` ON `listings` (`category`,`status`,`published_at`);
--> statement-breakpoint
-- Listings around a commune: public rows per position counted from the index alone (no row lookups).
CREATE INDEX `listings_public_position_idx` ON `listings` (`status`,`lat`,`lon`,`expires_at`);
--> statement-breakpoint
-- The rows of one position read in id order: with the status in the index, a page at a position
-- holding thousands of old, expired or closed listings no longer reads each of them from the table.
DROP INDEX `listings_position_idx`;
--> statement-breakpoint
CREATE INDEX `listings_position_idx` ON `listings` (`lat`,`lon`,`status`);
