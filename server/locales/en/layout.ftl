# The layout every page shares: navigation, header, roles.

nav-roster = My roster
    .about = Your places on trial rosters and waitlists.
nav-hearings = Hearings
    .about = Upcoming trials you may attend, by country and date.
nav-cases = Cases
    .about = Defenders at risk your mission may see.
nav-coverage = Coverage gaps
    .about = Hearings that still need observers.
nav-statements = Statements
    .about = Joint statements and démarches.
nav-reports = Attack reports
    .about = Reports sent to your country.
nav-new-report = Report an attack
    .about = Tell embassies what happened.
nav-my-reports = My reports
    .about = What each country did with your reports.
nav-users = Users
    .about = Your mission's people and their access.
nav-coalitions = Coalitions
    .about = The countries your cases are shared with.
nav-audit = Audit log
    .about = Who did what, and when.
nav-identity = Identity key
    .about = Your country's identity key and requests to reveal identities.
nav-account = Account
    .about = Your password and where you are signed in.
nav-place-in-mission = { $role }, { $country } mission
role-diplomat = Diplomat
role-coordinator = Coordinator
role-liaison = Liaison
role-admin = Administrator
role-operator = Operator
layout-skip = Skip to content
layout-main-nav = Main
layout-sign-out = Sign out
form-errors-heading = Please correct { $count ->
    [one] { $count } problem
   *[other] { $count } problems
}
# "Netherlands (NL)"
country-with-code = { $name } ({ $code })
