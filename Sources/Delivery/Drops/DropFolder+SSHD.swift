extension DropFolder {
    /// The `sshd_config` lines that serve drop folders: each user is locked in `ROOT/<user>` and may only read.
    ///
    /// `ChrootDirectory` requires every component of `ROOT/<user>` to be owned by root and not writable by group
    /// or others, or sshd refuses the login ("bad ownership or modes for chroot directory"); see ``DropFolder``
    /// for who owns what. `internal-sftp` runs inside sshd, so the chroot needs no shell or libraries; `-R` makes
    /// the session read-only (writes, renames and removals are refused). Forwarding and tunnels are off: the
    /// accounts exist only to collect files.
    public static func sshdConfig(root: String) -> String {
        """
        # Essor drop folders: read-only SFTP, each user locked in \(root)/<user>.
        # \(root) and \(root)/<user> must be owned by root and not group- or world-writable (ChrootDirectory).
        Subsystem sftp internal-sftp
        Match User *,!root
            ChrootDirectory \(root)/%u
            ForceCommand internal-sftp -R
            AllowTcpForwarding no
            AllowAgentForwarding no
            X11Forwarding no
            PermitTunnel no
            PermitTTY no

        """
    }
}
