-- Policy versions as data (issue 10, item 8): a desk publishes a new version of its terms, or a customer's own
-- policy, without shipping code. The presets in policies/presets/ are loaded as the first versions by db/migrate.ts.
-- A ticket pins the version in force when it registers and looks it up by (policy_id, version) for the rest of its
-- life, so a published version is never edited nor removed, only superseded by a later one: the trigger below
-- refuses UPDATE, DELETE and TRUNCATE, whoever asks.
CREATE TABLE policy_versions (
  policy_id text NOT NULL CHECK (policy_id ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND char_length(policy_id) <= 100),
  version integer NOT NULL CHECK (version >= 1),
  effective_from timestamptz NOT NULL,
  document jsonb NOT NULL CHECK (jsonb_typeof(document) = 'object'),
  published_at timestamptz NOT NULL DEFAULT now(),
  -- 'preset policies/presets/<file>' for the presets, else who published it (the admin key's label, or the CLI's user).
  published_by text NOT NULL,
  PRIMARY KEY (policy_id, version),
  UNIQUE (policy_id, effective_from),
  CHECK (document ->> 'id' = policy_id AND (document ->> 'version')::integer = version)
);

CREATE FUNCTION policy_versions_are_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'policy versions are never edited nor removed, only superseded by a new version'
    USING ERRCODE = 'restrict_violation';
END
$$;

CREATE TRIGGER policy_versions_no_update_or_delete BEFORE UPDATE OR DELETE ON policy_versions
  FOR EACH ROW EXECUTE FUNCTION policy_versions_are_immutable();
CREATE TRIGGER policy_versions_no_truncate BEFORE TRUNCATE ON policy_versions
  FOR EACH STATEMENT EXECUTE FUNCTION policy_versions_are_immutable();
