# A country admin's pages: the mission's users, the coalitions, the audit log.

## Shared by the three pages

admin-pager = Pages
admin-pager-first = First page
admin-pager-next = Next page
# A role that is no longer known.
admin-role-unknown = Unknown

## Confirmations after a change

admin-done-user-created = The user was created. They can sign in now.
admin-done-user-deactivated = The user is deactivated: their sessions have ended and they cannot sign in.
admin-done-user-reactivated = The user is active again and can sign in.
admin-done-coalition-created = The coalition was created.
admin-done-member-added = The country was added to the coalition.
admin-done-member-removed = The country was removed from the coalition. It loses access at once.

## Users

admin-users-title = Users
# The heading: $country is the admin's country ("Canada").
admin-users-heading = Users of the { $country } missions
admin-users-count = { $count ->
    [one] { $count } user
   *[other] { $count } users
}. Deactivating someone ends their sessions at once.
admin-users-caption = Users, oldest account first
admin-users-col-name = Name
admin-users-col-email = Email
admin-users-col-role = Role
admin-users-col-mission = Mission
admin-users-col-status = Status
admin-users-col-action = Action
# The signed-in admin's own row.
admin-users-you = { $name } (you)
admin-users-role-assessor = { $role }, fairness assessor
admin-users-active = Active
admin-users-deactivated = Deactivated
# Buttons: screen readers hear the person's name after the button's text.
admin-users-deactivate = Deactivate
admin-users-reactivate = Reactivate
admin-users-appoint = Appoint as assessor
admin-users-dismiss = Dismiss as assessor
admin-users-new = Add a user
admin-users-field-name = Name
admin-users-field-email = Email
admin-users-field-password = First password
admin-users-password-hint = (at least { $count } characters; give it to them in person)
admin-users-field-role = Role
admin-users-field-mission = Mission
admin-users-mission-hint = (diplomats, coordinators and administrators)
admin-users-choose-mission = Choose a mission
admin-users-field-organization = Organization
admin-users-organization-hint = (liaisons only)
admin-users-choose-organization = Choose an organization
admin-users-submit = Add the user

## Coalitions

admin-coalitions-title = Coalitions
admin-coalitions-count = { $count ->
    [one] { $count } coalition
   *[other] { $count } coalitions
} your country convenes or belongs to. A case shared with a coalition reaches its members; a country removed loses access at once.
# $host and $convener are countries.
admin-coalitions-where = In { $host }; convened by { $convener }.
admin-coalitions-members-caption = Members of { $coalition }
admin-coalitions-col-country = Country
admin-coalitions-col-action = Action
# The country that convenes the coalition, in its member list.
admin-coalitions-convener = { $country } (convener)
# The button shows "Remove"; `.hidden` follows it for screen readers.
admin-coalitions-remove = Remove
    .hidden = { $country } from { $coalition }
admin-coalitions-add-label = Country to add to { $coalition }
# The button shows "Add"; `.hidden` follows it for screen readers.
admin-coalitions-add = Add
    .hidden = the country to { $coalition }
admin-coalitions-new = Convene a new coalition
admin-coalitions-field-name = Name
admin-coalitions-field-host = Host country
admin-coalitions-choose-country = Choose a country
admin-coalitions-field-members = Members
admin-coalitions-members-hint = (your country is always one)
admin-coalitions-submit = Create the coalition
# The label of a refusal of the new coalition form as a whole.
admin-coalitions-new-form = New coalition
admin-coalitions-field-add = Country to add

## Audit log

admin-audit-title = Audit log
admin-audit-filter = Filter the audit log
admin-audit-field-action = Action
admin-audit-every-action = Every action
admin-audit-filter-submit = Filter
admin-audit-count = { $count ->
    [one] { $count } event
   *[other] { $count } events
}.
admin-audit-caption = Events on your country's objects and by its users, newest first
admin-audit-col-when = When
admin-audit-col-action = Action
admin-audit-col-by = By
admin-audit-col-object = Object
admin-audit-col-country = Country
admin-audit-col-detail = Detail
# Who acted, when no person did.
admin-audit-by-accord = Accord itself
admin-audit-by-user-of = a user of { $country }
admin-audit-by-other-country = a user of another country

## The recorded actions, as the audit log names them (the code is shown beside).

admin-action-login-succeeded = Login succeeded
admin-action-login-failed = Login failed
admin-action-login-locked = Login locked
admin-action-token-refreshed = Token refreshed
admin-action-refresh-token-reused = Refresh token reused
admin-action-logged-out = Logged out
admin-action-logged-out-everywhere = Logged out everywhere
admin-action-password-changed = Password changed
admin-action-operator-bootstrapped = Operator bootstrapped
admin-action-mission-created = Mission created
admin-action-user-created = User created
admin-action-user-deactivated = User deactivated
admin-action-user-reactivated = User reactivated
admin-action-organization-created = Organization created
admin-action-coalition-created = Coalition created
admin-action-coalition-member-added = Coalition member added
admin-action-coalition-member-removed = Coalition member removed
admin-action-case-created = Case created
admin-action-case-updated = Case updated
admin-action-consent-recorded = Consent recorded
admin-action-case-shared = Case shared
admin-action-case-unshared = Case unshared
admin-action-identity-read = Identity read
admin-action-identity-keys-rotated = Identity keys rotated
admin-action-hearing-scheduled = Hearing scheduled
admin-action-hearing-updated = Hearing updated
admin-action-roster-claimed = Roster claimed
admin-action-roster-released = Roster released
admin-action-roster-claim-suspended = Roster claim suspended
admin-action-observation-submitted = Observation submitted
admin-action-observation-amended = Observation amended
admin-action-calendar-token-issued = Calendar token issued
admin-action-calendar-token-revoked = Calendar token revoked
admin-action-attack-report-submitted = Attack report submitted
admin-action-attack-report-acknowledged = Attack report acknowledged
admin-action-attack-report-linked = Attack report linked
admin-action-attack-report-closed = Attack report closed
admin-action-attack-report-description-erased = Attack report description erased
admin-action-statement-created = Statement created
admin-action-statement-revised = Statement revised
admin-action-statement-invited = Statement invited
admin-action-statement-uninvited = Statement uninvited
admin-action-statement-approved = Statement approved
admin-action-statement-declined = Statement declined
admin-action-statement-approval-withdrawn = Statement approval withdrawn
admin-action-statement-finalized = Statement finalized
admin-action-statement-delivered = Statement delivered
admin-action-statement-exported = Statement exported
admin-action-statement-deadline-reminded = Statement deadline reminded
admin-action-identity-key-created = Identity key created
admin-action-identity-key-rotated = Identity key rotated
admin-action-identity-key-recovered = Identity key recovered
admin-action-identity-key-destroyed = Identity key destroyed
admin-action-identities-resealed = Identities resealed
admin-action-identity-access-granted = Identity access granted
admin-action-identity-access-revoked = Identity access revoked
admin-action-identity-reveal-requested = Identity reveal requested
admin-action-identity-reveal-approved = Identity reveal approved
admin-action-identity-reveal-denied = Identity reveal denied
admin-action-identity-reveal-revoked = Identity reveal revoked
admin-action-coverage-digest-set = Coverage digest set
admin-action-assessor-appointed = Assessor appointed
admin-action-assessor-dismissed = Assessor dismissed
admin-action-fairness-assessment-written = Fairness assessment written
admin-action-fairness-assessment-shared = Fairness assessment shared
admin-action-fairness-assessment-unshared = Fairness assessment unshared
admin-action-fairness-assessment-exported = Fairness assessment exported
admin-action-claim-offered = Claim offered
admin-action-claim-offer-accepted = Claim offer accepted
admin-action-claim-offer-declined = Claim offer declined
admin-action-claim-offer-withdrawn = Claim offer withdrawn
admin-action-claim-offer-expired = Claim offer expired
admin-action-claim-offer-cancelled = Claim offer cancelled
admin-action-preferences-set = Language or time zone chosen
admin-action-sso-configured = Single sign-on configured
admin-action-sso-removed = Single sign-on removed
admin-action-sso-sign-in-succeeded = Signed in through single sign-on
admin-action-sso-sign-in-failed = Single sign-on refused
admin-action-sso-subject-set = Single sign-on subject recorded
admin-action-totp-enrolled = Authenticator app turned on
admin-action-totp-removed = Authenticator app turned off
admin-action-recovery-codes-regenerated = Recovery codes replaced
admin-action-second-factor-passed = Sign-in second step passed
admin-action-second-factor-failed = Sign-in second step failed
admin-action-second-factor-locked = Sign-in second step locked after too many failures
admin-action-recovery-code-used = Recovery code used to sign in
admin-action-mission-second-factor-set = Two-step sign-in requirement changed for the mission
admin-action-password-reset-requested = Password reset link requested
admin-action-password-reset-completed = Password reset with a link
admin-action-password-reset-forced = Password reset forced
admin-action-email-change-requested = Email address change requested
admin-action-email-changed = Email address changed
admin-action-security-key-added = Security key added
admin-action-security-key-removed = Security key removed
admin-action-security-key-clone-suspected = Security key refused: possibly cloned
