-- The `context` of the render that published an event (its location, request),
-- which its consumers see; constants and environment come from the config.
ALTER TABLE events ADD COLUMN context jsonb NOT NULL DEFAULT '{}';
