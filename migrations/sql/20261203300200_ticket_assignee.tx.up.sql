-- Tickets get an assignee (a staff member of the agency, '' for none) and the
-- side that owes the next answer: 'us' (the agency) or 'client'. A client's
-- ticket or reply sets 'us'; a staff public reply sets 'client'.
ALTER TABLE tickets ADD COLUMN assignee_id TEXT NOT NULL DEFAULT '';
--bun:split
ALTER TABLE tickets ADD COLUMN waiting_on TEXT NOT NULL DEFAULT 'us';
