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
    ]
}
