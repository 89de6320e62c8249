extension Migration {
    /// The PostgreSQL schema, oldest first: the same versions, names, tables and columns as `Migration.sqlite`.
    /// Times are `bigint` microseconds since 1970 (UTC); names and identifiers are `COLLATE "C"` so they sort by
    /// code point, as SQLite's `BINARY` collation does, whatever the cluster's locale.
    public static let postgres: [Migration] = [
        Migration(
            version: 1, name: "identity",
            statements: [
                """
                CREATE TABLE organisations (
                    name TEXT COLLATE "C" PRIMARY KEY,
                    display_name TEXT NOT NULL,
                    created_us BIGINT NOT NULL
                )
                """,
                """
                CREATE TABLE users (
                    name TEXT COLLATE "C" PRIMARY KEY,
                    organisation TEXT COLLATE "C" NOT NULL REFERENCES organisations(name),
                    created_us BIGINT NOT NULL
                )
                """,
                "CREATE INDEX users_organisation ON users(organisation)",
                """
                CREATE TABLE user_roles (
                    user_name TEXT COLLATE "C" NOT NULL REFERENCES users(name) ON DELETE CASCADE,
                    role TEXT COLLATE "C" NOT NULL,
                    PRIMARY KEY (user_name, role)
                )
                """,
                """
                CREATE TABLE api_keys (
                    id TEXT COLLATE "C" PRIMARY KEY,
                    user_name TEXT COLLATE "C" NOT NULL REFERENCES users(name) ON DELETE CASCADE,
                    prefix TEXT NOT NULL,
                    hash BYTEA NOT NULL,
                    created_us BIGINT NOT NULL,
                    last_used_us BIGINT,
                    revoked_us BIGINT
                )
                """,
                "CREATE INDEX api_keys_user ON api_keys(user_name, created_us)",
            ]
        ),
        Migration(
            version: 2, name: "catalogue",
            statements: [
                """
                CREATE TABLE objects (
                    norad_id BIGINT PRIMARY KEY,
                    cospar_id TEXT,
                    name TEXT NOT NULL,
                    object_type TEXT NOT NULL,
                    owner TEXT COLLATE "C" REFERENCES organisations(name),
                    marking TEXT NOT NULL,
                    launch_date TEXT,
                    decay_date TEXT,
                    updated_us BIGINT NOT NULL
                )
                """,
                "CREATE INDEX objects_owner ON objects(owner, norad_id)",
                "CREATE INDEX objects_updated ON objects(updated_us)",
                """
                CREATE TABLE element_sets (
                    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    norad_id BIGINT NOT NULL REFERENCES objects(norad_id) ON DELETE CASCADE,
                    epoch TEXT NOT NULL,
                    epoch_us BIGINT NOT NULL,
                    omm_json TEXT NOT NULL,
                    received_us BIGINT NOT NULL,
                    source TEXT NOT NULL,
                    UNIQUE (norad_id, epoch_us, source)
                )
                """,
                "CREATE INDEX element_sets_history ON element_sets(norad_id, epoch_us, id)",
                "CREATE INDEX element_sets_received ON element_sets(received_us)",
            ]
        ),
        Migration(
            version: 3, name: "audit",
            statements: [
                """
                CREATE TABLE audit_log (
                    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    time_us BIGINT NOT NULL,
                    user_name TEXT COLLATE "C" NOT NULL,
                    organisation TEXT COLLATE "C" NOT NULL,
                    action TEXT NOT NULL,
                    resource TEXT NOT NULL,
                    effect TEXT NOT NULL,
                    rule_id TEXT,
                    policy_revision TEXT NOT NULL,
                    request_id TEXT,
                    route TEXT
                )
                """,
                "CREATE INDEX audit_log_time ON audit_log(time_us, id)",
                "CREATE INDEX audit_log_user ON audit_log(user_name, time_us, id)",
                // The catalogue's change counter (`CatalogueRevision.changeCount`), bumped in the writing transaction
                // so that every write, whatever its SQL, changes the revision and readers see it only at commit.
                // BEFORE STATEMENT: the counter's row lock is taken before any object row, in every writer, so
                // two catalogue writers queue on it instead of deadlocking.
                "CREATE TABLE catalogue_revision (id INT PRIMARY KEY CHECK (id = 1), changes BIGINT NOT NULL)",
                "INSERT INTO catalogue_revision (id, changes) VALUES (1, 0)",
                """
                CREATE FUNCTION essor_catalogue_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE catalogue_revision SET changes = changes + 1;
                    RETURN NULL;
                END
                $$
                """,
                """
                CREATE TRIGGER objects_revision BEFORE INSERT OR UPDATE OR DELETE ON objects
                FOR EACH STATEMENT EXECUTE FUNCTION essor_catalogue_changed()
                """,
                """
                CREATE TRIGGER element_sets_revision BEFORE INSERT OR UPDATE OR DELETE ON element_sets
                FOR EACH STATEMENT EXECUTE FUNCTION essor_catalogue_changed()
                """,
            ]
        ),
        Migration(
            version: 4, name: "certificate_subject",
            statements: [
                // `User.certificateSubject` in `CertificateSubject.canonical(_:)` form; NULLs do not collide.
                "ALTER TABLE users ADD COLUMN certificate_subject TEXT COLLATE \"C\"",
                "CREATE UNIQUE INDEX users_certificate_subject ON users(certificate_subject)",
            ]
        ),
        Migration(
            version: 5, name: "products",
            statements: [
                // Products (issue 5): the submission as received, its model as the project's JSON, and the
                // facts listings filter on. Lists are JSON arrays for reading; the tables below index them.
                """
                CREATE TABLE products (
                    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    kind TEXT COLLATE "C" NOT NULL,
                    encoding TEXT NOT NULL,
                    bytes BYTEA NOT NULL,
                    message_json TEXT NOT NULL,
                    content_hash TEXT COLLATE "C" NOT NULL,
                    submitter TEXT COLLATE "C" NOT NULL,
                    provider TEXT COLLATE "C" NOT NULL,
                    source TEXT,
                    created_us BIGINT,
                    received_us BIGINT NOT NULL,
                    marking TEXT NOT NULL,
                    marking_kind TEXT COLLATE "C" NOT NULL,
                    data_mode TEXT NOT NULL,
                    norad_ids TEXT NOT NULL,
                    owner_organisations TEXT NOT NULL,
                    participants TEXT NOT NULL,
                    time_start_us BIGINT,
                    time_stop_us BIGINT,
                    collision_probability DOUBLE PRECISION,
                    miss_distance_m DOUBLE PRECISION,
                    record_count BIGINT NOT NULL
                )
                """,
                // The same bytes twice are one product, also when they arrive on two connections at once: the
                // second insert waits for the first to commit, then `ON CONFLICT DO NOTHING` finds it.
                "CREATE UNIQUE INDEX products_content_hash ON products(content_hash)",
                "CREATE INDEX products_kind ON products(kind, id)",
                "CREATE INDEX products_received ON products(received_us)",
                "CREATE INDEX products_time ON products(time_start_us, time_stop_us)",
                "CREATE INDEX products_pc ON products(collision_probability)",
                "CREATE INDEX products_provider ON products(provider, id)",
                "CREATE INDEX products_marking ON products(marking_kind, id)",
                """
                CREATE TABLE product_objects (
                    product_id BIGINT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
                    norad_id BIGINT NOT NULL,
                    PRIMARY KEY (product_id, norad_id)
                )
                """,
                "CREATE INDEX product_objects_norad ON product_objects(norad_id, product_id)",
                """
                CREATE TABLE product_participants (
                    product_id BIGINT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
                    participant TEXT COLLATE "C" NOT NULL,
                    PRIMARY KEY (product_id, participant)
                )
                """,
                "CREATE INDEX product_participants_name ON product_participants(participant, product_id)",
                // `ProductScope`'s index: the organisations a product reaches as owner (of an object it concerns,
                // at ingest), provider or partner (named by a `partners:` marking).
                """
                CREATE TABLE product_organisations (
                    organisation TEXT COLLATE "C" NOT NULL,
                    role TEXT COLLATE "C" NOT NULL,
                    product_id BIGINT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
                    PRIMARY KEY (organisation, role, product_id)
                )
                """,
                "CREATE INDEX product_organisations_product ON product_organisations(product_id)",
                // The feed. A sequence would not do: ids are taken in start order but become visible in commit
                // order, so a reader at the head could see 8 before 7 commits and skip 7 forever. Instead each
                // writer bumps the one row of `feed_head` in its transaction (last, just before committing): the
                // row lock queues writers until the holder commits or rolls back, so ids are gap-free (a rollback
                // undoes the bump) and every id is visible before the next one is even assigned.
                "CREATE TABLE feed_head (id INT PRIMARY KEY CHECK (id = 1), last_id BIGINT NOT NULL)",
                "INSERT INTO feed_head (id, last_id) VALUES (1, 0)",
                """
                CREATE TABLE feed_events (
                    id BIGINT PRIMARY KEY,
                    type TEXT COLLATE "C" NOT NULL,
                    product_id BIGINT REFERENCES products(id),
                    kind TEXT COLLATE "C",
                    norad_ids TEXT NOT NULL,
                    owner_organisations TEXT NOT NULL,
                    provider TEXT COLLATE "C",
                    marking TEXT,
                    marking_kind TEXT COLLATE "C",
                    time_us BIGINT NOT NULL,
                    details TEXT
                )
                """,
                "CREATE INDEX feed_events_type ON feed_events(type, id)",
                "CREATE INDEX feed_events_product ON feed_events(product_id)",
                "CREATE INDEX feed_events_marking ON feed_events(marking_kind, id)",
                """
                CREATE TABLE feed_event_organisations (
                    organisation TEXT COLLATE "C" NOT NULL,
                    role TEXT COLLATE "C" NOT NULL,
                    event_id BIGINT NOT NULL REFERENCES feed_events(id) ON DELETE CASCADE,
                    PRIMARY KEY (organisation, role, event_id)
                )
                """,
            ]
        ),
        Migration(
            version: 6, name: "subscriptions",
            statements: [
                // Push subscriptions (issue 10 §1): the filter's lists are JSON arrays; the channel's columns that
                // its type does not use are NULL; secrets and the SSH key pair never leave the store.
                """
                CREATE TABLE subscriptions (
                    id TEXT COLLATE "C" PRIMARY KEY,
                    owner TEXT COLLATE "C" NOT NULL REFERENCES users(name) ON DELETE CASCADE,
                    topic TEXT NOT NULL,
                    objects TEXT NOT NULL,
                    min_pc DOUBLE PRECISION,
                    max_miss_m DOUBLE PRECISION,
                    provider TEXT,
                    participant TEXT,
                    kinds TEXT NOT NULL,
                    format TEXT NOT NULL,
                    channel_type TEXT NOT NULL,
                    channel_url TEXT,
                    channel_username TEXT,
                    channel_host_key_sha256 TEXT,
                    state TEXT NOT NULL,
                    state_reason TEXT,
                    created_us BIGINT NOT NULL,
                    updated_us BIGINT NOT NULL,
                    secret_current TEXT,
                    secret_previous TEXT,
                    secret_previous_expires_us BIGINT,
                    ssh_private_key TEXT,
                    ssh_public_key TEXT
                )
                """,
                "CREATE INDEX subscriptions_owner ON subscriptions(owner, id)",
                // The outbox (issue 10 §5): one row per (subscription, event), created by the fan-out.
                """
                CREATE TABLE deliveries (
                    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    subscription_id TEXT COLLATE "C" NOT NULL REFERENCES subscriptions(id) ON DELETE CASCADE,
                    event_id BIGINT NOT NULL,
                    state TEXT NOT NULL,
                    attempts BIGINT NOT NULL,
                    next_attempt_us BIGINT,
                    created_us BIGINT NOT NULL,
                    last_attempt_us BIGINT,
                    last_error_class TEXT,
                    last_status BIGINT,
                    last_error TEXT,
                    delivered_us BIGINT,
                    UNIQUE (subscription_id, event_id)
                )
                """,
                // What the workers claim: only open deliveries, by due time (delivered and dead ones are not indexed).
                """
                CREATE INDEX deliveries_due ON deliveries(next_attempt_us, id)
                WHERE state IN ('pending', 'failed')
                """,
                "CREATE INDEX deliveries_subscription ON deliveries(subscription_id, id)",
                // How far the fan-out has read the feed: one row, moved by compare-and-set.
                "CREATE TABLE fanout_cursor (id INT PRIMARY KEY CHECK (id = 1), last_event_id BIGINT NOT NULL)",
                "INSERT INTO fanout_cursor (id, last_event_id) VALUES (1, 0)",
            ]
        ),
        Migration(
            version: 7, name: "observation_requests",
            statements: [
                // Observation requests (issue 11): the target is a NORAD id, an inline orbit or both; lists and the
                // schedule are JSON; the proposed window stays once a proposal is answered.
                """
                CREATE TABLE observation_requests (
                    id TEXT COLLATE "C" PRIMARY KEY,
                    requester TEXT COLLATE "C" NOT NULL REFERENCES users(name) ON DELETE CASCADE,
                    organisation TEXT COLLATE "C" NOT NULL,
                    state TEXT COLLATE "C" NOT NULL,
                    norad_id BIGINT,
                    orbit_kind TEXT,
                    orbit_text TEXT,
                    orbit_object_name TEXT,
                    orbit_object_id TEXT,
                    window_start_us BIGINT NOT NULL,
                    window_stop_us BIGINT NOT NULL,
                    measurements TEXT NOT NULL,
                    tracks BIGINT NOT NULL,
                    priority TEXT NOT NULL,
                    sensor TEXT,
                    purpose TEXT,
                    marking TEXT NOT NULL,
                    created_us BIGINT NOT NULL,
                    updated_us BIGINT NOT NULL,
                    idempotency_key TEXT COLLATE "C",
                    body_digest TEXT,
                    proposed_start_us BIGINT,
                    proposed_stop_us BIGINT,
                    schedule TEXT NOT NULL
                )
                """,
                // Keys are per requester; NULLs (no key) never collide. Two identical submissions racing each other
                // are one request: the second insert fails here and finds the first.
                """
                CREATE UNIQUE INDEX observation_requests_idempotency ON observation_requests(requester, idempotency_key)
                """,
                // Listings newest first: all, per requester (also the per-day counts: created since a time), by
                // state, by object.
                "CREATE INDEX observation_requests_created ON observation_requests(created_us, id)",
                "CREATE INDEX observation_requests_requester ON observation_requests(requester, created_us, id)",
                "CREATE INDEX observation_requests_state ON observation_requests(state, created_us, id)",
                "CREATE INDEX observation_requests_norad ON observation_requests(norad_id, created_us, id)",
                // The open-requests quota: only requests not yet final are indexed.
                """
                CREATE INDEX observation_requests_open ON observation_requests(requester)
                WHERE state NOT IN ('REJECTED', 'DELIVERED', 'FAILED', 'CANCELLED')
                """,
                // Every transition, numbered from 1 per request, with the feed event recording it.
                """
                CREATE TABLE observation_request_history (
                    request_id TEXT COLLATE "C" NOT NULL REFERENCES observation_requests(id) ON DELETE CASCADE,
                    seq BIGINT NOT NULL,
                    state TEXT NOT NULL,
                    time_us BIGINT NOT NULL,
                    actor TEXT NOT NULL,
                    user_name TEXT,
                    reason TEXT,
                    event_id BIGINT NOT NULL,
                    PRIMARY KEY (request_id, seq)
                )
                """,
                """
                CREATE TABLE observation_request_products (
                    request_id TEXT COLLATE "C" NOT NULL REFERENCES observation_requests(id) ON DELETE CASCADE,
                    product_id BIGINT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
                    PRIMARY KEY (request_id, product_id)
                )
                """,
                "CREATE INDEX observation_request_products_product ON observation_request_products(product_id)",
                // The backend outbox (issue 11 §4): commands in queueing order, sent in order per request.
                """
                CREATE TABLE backend_commands (
                    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    request_id TEXT COLLATE "C" NOT NULL REFERENCES observation_requests(id) ON DELETE CASCADE,
                    kind TEXT NOT NULL,
                    state TEXT NOT NULL,
                    attempts BIGINT NOT NULL,
                    created_us BIGINT NOT NULL,
                    next_attempt_us BIGINT NOT NULL,
                    completed_us BIGINT,
                    last_error TEXT
                )
                """,
                // What the forwarder claims (only pending commands are indexed) and the older-pending check per
                // request.
                "CREATE INDEX backend_commands_due ON backend_commands(next_attempt_us, id) WHERE state = 'pending'",
                "CREATE INDEX backend_commands_request ON backend_commands(request_id, id)",
            ]
        ),
        Migration(
            version: 8, name: "observation_request_quotas",
            statements: [
                // The per-day quotas (requests and tracks created since a time) read this index only: the listing
                // order per requester, with the tracks.
                "DROP INDEX observation_requests_requester",
                """
                CREATE INDEX observation_requests_requester ON observation_requests(requester, created_us, id)
                INCLUDE (tracks)
                """,
            ]
        ),
    ]
}
