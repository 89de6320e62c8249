import ArgumentParser
import Foundation
import Policy

/// `essor policy check|explain` (DESIGN.md §4, §6): load the policy files, and explain one decision.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy", abstract: "Check the access policies and explain decisions.",
        subcommands: [PolicyCheck.self, PolicyExplain.self])
}

/// Options shared by the policy subcommands.
struct PolicyDirectoryOption: ParsableArguments {
    @Option(help: "The policy folder (every *.yaml directly in it).")
    var policies = "policies"

    /// The loaded policy set; every problem is printed as `FILE:LINE:COL: error: …` and the exit status is 1.
    func load() throws -> PolicySet {
        do {
            return try PolicyLoader.load(directory: URL(fileURLWithPath: policies))
        } catch {
            for problem in error.problems { printError(problem.description) }
            throw ExitCode(1)
        }
    }
}

/// `essor policy check [--policies DIR]`: loads the policies as the server would; exit 0 when they load.
struct PolicyCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Load the policy files; report every problem with its file and line.")

    @OptionGroup var directory: PolicyDirectoryOption

    func run() throws {
        let policy = try directory.load()
        print("\(directory.policies): \(policy.rules.count) rule(s), revision \(policy.revision)")
    }
}

/// `essor policy explain --user U --org O --role R --action A [--object N --owner O --marking M]`.
///
/// Until the user store lands (the gateway issue), the caller's organisation and roles are given on the command
/// line rather than looked up from `--user`.
struct PolicyExplain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Print the decision for one request and the rule that made it (exit 0 allow, 1 deny).")

    @OptionGroup var directory: PolicyDirectoryOption

    @Option(help: "The caller's user name.")
    var user: String

    @Option(help: "The caller's organisation.")
    var org: String

    @Option(help: "A role of the caller (repeatable): operator, partner, requester, admin, backend.")
    var role: [String] = []

    @Option(help: "The action: read:elements, read:ephemeris, read:cdm, read:tdm, submit:tdm, request:observation, subscribe, admin, ingest.")
    var action: String

    @Option(help: "The catalogue object (NORAD id) the request concerns; none for the gateway itself.")
    var object: Int?

    @Option(help: "The object's owning organisation.")
    var owner: String?

    @Option(help: "The object's sharing marking: public, operators, partners:<orgs>, restricted.")
    var marking: String?

    @Flag(help: "The caller authenticated with a client certificate (default: an API key).")
    var certificate = false

    func run() throws {
        let policy = try directory.load()
        guard let requested = Action(rawValue: action) else {
            throw ValidationFailure("unknown action '\(action)'; one of \(Action.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var roles: Set<Role> = []
        for name in role {
            guard let value = Role(rawValue: name) else {
                throw ValidationFailure("unknown role '\(name)'; one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            roles.insert(value)
        }
        var sharing: Marking?
        if let marking {
            guard let parsed = Marking(marking) else { throw ValidationFailure("'\(marking)' is not a sharing marking") }
            sharing = parsed
        }
        let principal = Principal(
            userName: user, organisation: org, roles: roles, authenticatedBy: certificate ? .clientCertificate : .apiKey)
        let resource = object.map { Resource.object(noradID: $0, owner: owner, marking: sharing) } ?? .service
        let explanation = policy.explain(
            AccessRequest(principal: principal, action: requested, resource: resource, time: Date()))
        print(explanation)
        if !explanation.decision.isAllowed { throw ExitCode(1) }
    }
}
