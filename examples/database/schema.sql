-- The example's table: orders in the user's own PostgreSQL. hookline captures it (database.yaml); `secret` shows a
-- column kept out of every event.
CREATE TABLE IF NOT EXISTS public.orders (
  id         bigint        PRIMARY KEY,
  status     text          NOT NULL DEFAULT 'new',
  customer   text          NOT NULL,
  total      numeric(12,2) NOT NULL,
  secret     text,
  note       text,
  created_at timestamptz   NOT NULL DEFAULT now()
);
