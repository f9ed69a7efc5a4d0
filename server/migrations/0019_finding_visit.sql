-- A finding written from a visit names it (its id only: whom the team saw stays on the visit
-- list, which the unit never reads). Taking the visit off the list clears the name first.
ALTER TABLE findings ADD COLUMN visit_id TEXT REFERENCES visits (id);
