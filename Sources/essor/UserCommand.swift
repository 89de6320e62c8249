import ArgumentParser
import Foundation
import GatewayCore
import Policy

/// `essor user add|list|set-subject|remove`: the gateway's users (DESIGN §4).
struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Add, list and remove users; set the certificate subject they log in with.",
        subcommands: [UserAdd.self, UserList.self, UserSetSubject.self, UserRemove.self])
}

/// `essor user add NAME --org ORG --role ROLE [--role ROLE2] [--certificate-subject DN]`.
struct UserAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add a user (creating the organisation when it does not exist).")

    @OptionGroup var database: DatabaseOption

    @Argument(help: "The user name.")
    var name: String

    @Option(help: "The user's organisation (created when missing).")
    var org: String

    @Option(help: "A role (repeatable): operator, partner, requester, admin, backend.")
    var role: [String] = []

    @Option(
        help: ArgumentHelp(
            "The full subject DN of the user's client certificate (RFC 4514, most specific first).",
            discussion: "For certificates without a SAN URI urn:essor:user:NAME; see 'essor user set-subject'."))
    var certificateSubject: String?

    func run() async throws {
        let roles = try Role.parse(role)
        guard !roles.isEmpty else { throw ValidationFailure("give at least one --role") }
        let subject = try certificateSubject.map(CertificateSubject.checked)
        try await database.withStore { opened in
            let store = opened.store
            if try await !store.hasOrganisation(named: org) {
                try await store.createOrganisation(Organisation(name: org))
                print("created organisation \(org)")
            }
            try await store.createUser(User(name: name, organisation: org, roles: roles, certificateSubject: subject))
            let roleList = roles.sorted().map(\.rawValue).joined(separator: ", ")
            print(
                "added user \(name) (organisation \(org), roles \(roleList)\(subject.map { ", subject \($0)" } ?? ""))")
        }
    }
}

/// `essor user list`.
struct UserList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the users: name, organisation, roles, certificate subject (tab-separated; '-' for none).")

    @OptionGroup var database: DatabaseOption

    func run() async throws {
        try await database.withStore { opened in
            for user in try await opened.store.users(organisation: nil) {
                let roles = user.roles.sorted().map(\.rawValue).joined(separator: ",")
                print("\(user.name)\t\(user.organisation)\t\(roles)\t\(user.certificateSubject ?? "-")")
            }
        }
    }
}

/// `essor user set-subject NAME (DN | --clear)`.
struct UserSetSubject: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-subject",
        abstract: "Set or clear the subject DN a user's client certificate must carry.",
        discussion: """
            A client certificate without a SAN URI urn:essor:user:NAME authenticates as the user whose subject DN \
            equals the certificate's full subject: RFC 4514 form, most specific RDN first, e.g. \
            'CN=alice,O=Operator A,C=GB' (as 'openssl x509 -noout -subject -nameopt RFC2253' prints it). The RDNs \
            and their order must match exactly and values are case-sensitive; attribute names are not, and spaces \
            around '=', ',' and '+' are ignored. Never matched by common-name substring. Unique across users.
            """)

    @OptionGroup var database: DatabaseOption

    @Argument(help: "The user name.")
    var name: String

    @Argument(help: "The subject DN.")
    var subject: String?

    @Flag(help: "Remove the user's subject (certificates then need the SAN URI).")
    var clear = false

    func run() async throws {
        guard (subject == nil) == clear else { throw ValidationFailure("give either a subject DN or --clear") }
        let canonical = try subject.map(CertificateSubject.checked)
        try await database.withStore { opened in
            var user = try await opened.store.user(named: name)
            user.certificateSubject = canonical
            try await opened.store.updateUser(user)
            if let canonical {
                print("set the certificate subject of user \(name) to \(canonical)")
            } else {
                print("cleared the certificate subject of user \(name)")
            }
        }
    }
}

/// `essor user remove NAME`.
struct UserRemove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "Remove a user and all their API keys.")

    @OptionGroup var database: DatabaseOption

    @Argument(help: "The user name.")
    var name: String

    func run() async throws {
        try await database.withStore { opened in
            try await opened.store.deleteUser(named: name)
            print("removed user \(name)")
        }
    }
}

extension Role {
    /// The roles named on the command line; an unknown name is an error listing the valid ones.
    static func parse(_ names: [String]) throws -> Set<Role> {
        var roles: Set<Role> = []
        for name in names {
            guard let value = Role(rawValue: name) else {
                throw ValidationFailure(
                    "unknown role '\(name)'; one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            roles.insert(value)
        }
        return roles
    }
}

extension CertificateSubject {
    /// The canonical form of a subject given on the command line; a text that is not a DN is a usage error.
    static func checked(_ text: String) throws -> String {
        do {
            return try canonical(text)
        } catch {
            throw ValidationFailure("'\(text)' is not a certificate subject DN: \(error.message)")
        }
    }
}
