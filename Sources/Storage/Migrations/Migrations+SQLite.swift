extension Migration {
    /// The SQLite schema, oldest first. Times are INTEGER microseconds since 1970 (UTC), so they order exactly
    /// and map to PostgreSQL `bigint` unchanged.
    public static let sqlite: [Migration] = [
        Migration(
            version: 1, name: "identity",
            statements: [
                """
                CREATE TABLE organisations (
                    name TEXT PRIMARY KEY NOT NULL,
                    display_name TEXT NOT NULL,
                    created_us INTEGER NOT NULL
                )
                """,
                """
                CREATE TABLE users (
                    name TEXT PRIMARY KEY NOT NULL,
                    organisation TEXT NOT NULL REFERENCES organisations(name),
                    created_us INTEGER NOT NULL
                )
                """,
                "CREATE INDEX users_organisation ON users(organisation)",
                """
                CREATE TABLE user_roles (
                    user_name TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
                    role TEXT NOT NULL,
                    PRIMARY KEY (user_name, role)
                )
                """,
                """
                CREATE TABLE api_keys (
                    id TEXT PRIMARY KEY NOT NULL,
                    user_name TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
                    prefix TEXT NOT NULL,
                    hash BLOB NOT NULL,
                    created_us INTEGER NOT NULL,
                    last_used_us INTEGER,
                    revoked_us INTEGER
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
                    norad_id INTEGER PRIMARY KEY NOT NULL,
                    cospar_id TEXT,
                    name TEXT NOT NULL,
                    object_type TEXT NOT NULL,
                    owner TEXT REFERENCES organisations(name),
                    marking TEXT NOT NULL,
                    launch_date TEXT,
                    decay_date TEXT,
                    updated_us INTEGER NOT NULL
                )
                """,
                "CREATE INDEX objects_owner ON objects(owner, norad_id)",
                "CREATE INDEX objects_updated ON objects(updated_us)",
                """
                CREATE TABLE element_sets (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    norad_id INTEGER NOT NULL REFERENCES objects(norad_id) ON DELETE CASCADE,
                    epoch TEXT NOT NULL,
                    epoch_us INTEGER NOT NULL,
                    omm_json TEXT NOT NULL,
                    received_us INTEGER NOT NULL,
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
