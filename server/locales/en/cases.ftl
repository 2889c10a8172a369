# The coordinator's cases and hearings pages: the cases list, a case, opening
# a case, consent, sharing, identity reveals, hearings and coverage gaps.

## Confirmations after a change (?done=)

cases-done-case-created = The case was opened. No consent is recorded yet.
cases-done-consent-recorded = The defender's consent was recorded.
cases-done-case-shared = The case is shared.
cases-done-case-unshared = The case is no longer shared there.
cases-done-hearing-scheduled = The hearing was scheduled.
cases-done-hearing-updated = The hearing was updated.
cases-done-reveal-requested = Your request was sent to the case's owner country.
cases-done-reveal-approved = The request was approved: the requesting country's key holders can open the identity until the expiry.
cases-done-reveal-denied = The request was denied.
cases-done-reveal-revoked = The reveal was revoked: the identity is closed to the requesting country at once.

## Closed sets

cases-category-woman-hrd = Woman human rights defender
cases-category-environmental = Environmental defender
cases-category-land-rights = Land rights
cases-category-indigenous = Indigenous peoples' rights
cases-category-lgbti = LGBTI rights
cases-category-journalist = Journalist
cases-category-lawyer = Lawyer
cases-category-trade-unionist = Trade unionist
cases-category-student = Student
cases-category-other = Other

cases-risk-low = Low
cases-risk-medium = Medium
cases-risk-high = High
cases-risk-critical = Critical

cases-status-at-risk = At risk
cases-status-detained = Detained
cases-status-on-trial = On trial
cases-status-released = Released
cases-status-relocated = Relocated
cases-status-closed = Closed

# A value the page does not know (stored by a newer version).
cases-unknown = Unknown

# How much of a case a share shows, as the share form offers it.
cases-share-level-summary = Summary: reference, host country, status, risk and categories
cases-share-level-detail = Detail: also pseudonym, region, summary and (with consent) hearings
# The same levels, short, in the list of shares.
cases-share-level-summary-short = Summary
cases-share-level-detail-short = Detail

# Who gave the defender's consent.
cases-giver-defender = The defender
cases-giver-family = The defender's family
cases-giver-representative = The defender's representative

# What the viewer sees of a case.
cases-visibility-summary = Summary (shared with your country)
cases-visibility-detail = Detail (shared with your country)
cases-visibility-owner = Full (your country's case)

cases-hearing-status-scheduled = Scheduled
cases-hearing-status-postponed = Postponed
cases-hearing-status-held = Held
cases-hearing-status-cancelled = Cancelled

# Where a request to reveal a defender's identity stands.
cases-reveal-state-pending = Waiting for a decision
cases-reveal-state-approved = Approved
cases-reveal-state-denied = Denied
cases-reveal-state-revoked = Revoked
cases-reveal-state-expired = Expired

# A choice of a number of days (coverage window, how long a reveal runs).
cases-days = { $count ->
    [one] { $count } day
   *[other] { $count } days
}

# "Coalition: Observers group"
cases-coalition-named = Coalition: { $name }
cases-coalition-left = A coalition your country is no longer part of

## The cases list

cases-title = Cases
cases-open-new = Open a new case
cases-filter-label = Filter the cases
cases-any = Any
cases-field-host-country = Host country
cases-field-status = Status
cases-field-risk = Risk
cases-field-category = Category
cases-field-search = Search
cases-field-search-hint = (reference; pseudonym, region and summary where shared with you)
cases-field-page = Page
cases-field-filters = Filters
cases-show-cases = Show cases
cases-clear-filters = Clear the filters
# The table's caption: how many cases are listed.
cases-count = { $filtered ->
    [yes] { $count ->
        [one] { $count } case matches the filters
       *[other] { $count } cases match the filters
    }
   *[no] { $count ->
        [one] { $count } case you may see
       *[other] { $count } cases you may see
    }
}
cases-col-reference = Reference
cases-col-pseudonym = Pseudonym
cases-col-host-country = Host country
cases-col-region = Region
cases-col-status = Status
cases-col-risk = Risk
cases-col-categories = Categories
cases-col-owner = Owner
cases-col-what-you-see = What you see
cases-not-shared = not shared
cases-none = No case to show.
cases-first-page = First page
cases-next-page = Next page

## Opening a case

cases-new-title = Open a case
cases-new-intro = The case belongs to your country. Nobody else sees it until the defender's consent is recorded and you share it.
cases-field-pseudonym = Pseudonym
cases-field-pseudonym-hint = (never the defender's real name)
cases-choose-country = Choose the country
cases-field-region = Region
cases-field-region-hint = (optional; coarse, such as a province)
cases-field-categories = Categories
cases-field-categories-hint = (at least one)
cases-field-risk-level = Risk level
cases-choose-risk-level = Choose the risk level
cases-choose-status = Choose the status
cases-field-summary = Summary
cases-field-summary-hint = (optional; shared only at Detail level)
cases-identity-legend = The defender's identity
cases-identity-legend-hint = (optional; encrypted, only your country reads it, and every reading is logged)
cases-field-legal-name = Legal name
cases-field-contact = Contact
cases-field-location = Exact location
cases-field-notes = Notes
cases-new-submit = Open the case
cases-this-form = This form

## One case

# "Case 2027-CA-0001"
cases-case-title = Case { $reference }
# With the pseudonym, for those who may read it.
cases-case-title-named = Case { $reference }: { $pseudonym }
cases-all-cases = All cases
cases-fact-what-you-see = What you see
cases-fact-host-country = Host country
cases-fact-status = Status
cases-fact-risk = Risk
cases-fact-categories = Categories
cases-fact-pseudonym = Pseudonym
cases-fact-region = Region
cases-not-given = Not given
cases-fact-owner-country = Owner country
cases-fact-opened = Opened
cases-fact-last-changed = Last changed
cases-summary-heading = Summary

cases-identity-heading = The defender's identity
cases-revealed-until = Revealed to your country until { $until }.
cases-identity-audited = This reading was recorded in the audit log.
cases-not-recorded = Not recorded
cases-hide-identity = Hide the identity
cases-show-identity-until = Show the identity (revealed until { $until })
cases-show-identity = Show the defender's identity
cases-each-reading-audited = (each reading is recorded in the audit log)

# Why the identity stays sealed for this reader.
cases-locked-no-key-admin = Your country has no identity key yet, so identities cannot be opened.
cases-locked-no-key = Your country has no identity key yet, so identities cannot be opened. An administrator of your country sets it up.
cases-locked-no-key-link = Set up your country's identity key
cases-locked-not-custodian = You do not hold your country's identity key; an admin can grant it.
cases-locked-not-custodian-link = See who holds the key
cases-locked-session = Your key is locked in this session. Sign out, then sign in again with your password to unlock it.

## Requests to reveal the identity

cases-reveals-heading-owner = Requests to reveal the identity
cases-reveals-heading-partner = Your country's requests for the identity
cases-reveals-none-owner = No partner country has asked for the identity.
cases-reveals-none-partner = Your country has not asked for the identity.
# A request as the owner country sees it: who asked, when, where it stands.
cases-reveal-from = From { $country }, { $requested }: { $state }
# A request as the asking country sees it.
cases-reveal-own = Request, { $requested }: { $state }
cases-reveal-why-asked = Why they asked
cases-reveal-decision = Decision
cases-reveal-decision-at = Decision, { $at }
cases-reveal-open-until = Open until
cases-reveal-decide-why = Why (both countries read it)
cases-reveal-open-for = If approved, open for
cases-reveal-approve = Approve
cases-reveal-deny = Deny
cases-reveal-approve-hint = Approving seals the identity to the requesting country's key until the expiry; you can revoke it at any time.
cases-reveal-revoke-why = Why revoke
cases-reveal-revoke = Revoke
cases-reveal-request-title = Request the identity
cases-reveal-request-hint = The owner country's key holders decide. If they approve, your country's key holders can open the identity until the date they choose.
cases-reveal-request-why = Why you need it
cases-reveal-request-submit = Request the identity
# Form labels for errors on the reveal forms.
cases-reveal-field-why = Why
cases-reveal-field-open-for = Open for
cases-reveal-the-decision = The decision
cases-reveal-revoking = Revoking

## The case's hearings

cases-hearings-heading = Hearings
cases-hearings-none = No hearing you may see.
cases-hearings-caption = Hearings of this case, soonest first
cases-col-court-time = Court's time
cases-col-your-time = Your time
cases-col-court = Court
cases-col-observers = Observers
cases-col-change = Change
# When the reader's clock shows the court's time.
cases-time-same = Same as the court's
# "Regional Trial Court, Davao"
cases-court-in-city = { $court }, { $city }
cases-confirmed-of = { $confirmed } of { $needed } confirmed
cases-change = Change
# Read aloud on the "Change" link of a hearing.
cases-change-hearing = Change the hearing of { $when }
cases-hearings-more = Only the first 50 hearings are listed; the calendar has the rest.
cases-schedule-hearing = Schedule a hearing
cases-assessment-link = Fairness assessment of the trial (version { $version })
cases-assessment-write = Write the fairness assessment of the trial

cases-reports-heading = Attack reports linked to this case
cases-report-incident = { $reference }, incident of { $date }

## Consent

cases-consent-heading = The defender's consent
cases-consent-share = Sharing with partner countries:
cases-consent-trial = Trial observation:
cases-consent-public = Public advocacy:
cases-consent-given = given
cases-consent-not-given = not given
cases-consent-given-by = Given by: { $by }
cases-consent-given-by-at = Given by: { $by }, recorded { $at }
cases-consent-none = No consent recorded yet.
cases-consent-form-title = Record the consent
cases-consent-legend = The defender consents to
cases-consent-share-label = Sharing the case with partner countries
cases-consent-trial-label = Trial observation by diplomats
cases-consent-public-label = Public advocacy
cases-field-given-by = Given by
cases-choose-giver = Choose who gave it
cases-consent-submit = Record consent
cases-consent-hint = Withdrawing consent to share suspends every share at once; withdrawing either consent takes partners' hearings and roster places away.
cases-choose-giver-error = Choose who gave the consent
cases-consent-field = Consent

## Sharing

cases-shares-heading = Shared with
cases-shares-nobody = Nobody: only your country sees this case.
cases-shares-caption = Countries and coalitions that see this case
cases-col-with = With
cases-col-level = Level
cases-col-action = Action
cases-stop-sharing-with = Stop sharing with { $target }
cases-members-still-see = Its members still see the case
cases-share-title = Share the case
cases-field-share-with = Share with
cases-choose-share-target = Choose a country or coalition
cases-countries-on-accord = Countries on Accord
cases-coalitions = Coalitions
cases-field-level = Level
cases-share-submit = Share
cases-share-hint = Sharing needs the defender's consent to share with partners. Sharing again with the same country changes its level.
cases-sharing = Sharing

## Scheduling and changing a hearing

cases-hearing-new-title = Schedule a hearing
cases-hearing-for-case = For case { $reference }
cases-hearing-consent-missing = The defender has not consented to trial observation: a hearing cannot be scheduled until that consent is recorded on the case page.
cases-hearing-new-submit = Schedule the hearing
cases-hearing-edit-title = Change a hearing
cases-hearing-edit-heading = Change the hearing
cases-hearing-now = Now
cases-hearing-of-case = Case { $reference }
cases-open-hearing = Open the hearing
cases-field-hearing-status-hint = (postpone, cancel or mark as held; a postponed hearing given a new date is scheduled again)
cases-hearing-edit-submit = Save the changes
cases-hearing-edit-hint = Everyone on the roster is told of a new start, a postponement or a cancellation.
cases-this-hearing = This hearing
cases-field-court = Court
cases-field-city = City
cases-start-legend = Start, in the court's local time
cases-field-date = Date
cases-field-date-hint = (YYYY-MM-DD)
cases-field-time = Time
cases-field-time-hint = (HH:MM, 24-hour)
cases-field-deadline-time-hint = (HH:MM)
cases-field-timezone = Court's time zone
cases-choose-timezone = Choose the time zone
cases-field-utc-offset = UTC offset
cases-field-utc-offset-hint = (only when the clocks go back and that local time occurs twice, such as +01:00)
cases-field-duration = Duration in minutes
cases-field-duration-short = Duration
cases-field-observers = Observers needed
cases-field-observers-hint = (0 to 50; lowering it moves the latest confirmed places back to the waitlist)
cases-field-claims-close = Claims close
cases-field-claims-close-hint = (optional, court's local time; otherwise at the start)
cases-whole-number = Enter a whole number
cases-choose-hearing-status = Choose a status
cases-deadline-invalid = Enter a date (YYYY-MM-DD) and a time (HH:MM) that exist in the court's time zone

## Coverage gaps

cases-coverage-title = Coverage gaps
cases-coverage-intro = Scheduled hearings that still need observers, by host country.
cases-coverage-within = Within the next
cases-coverage-within-field = Within
cases-coverage-show = Show
cases-coverage-all-covered = { $count ->
    [one] Every scheduled hearing in the next { $count } day has its observers.
   *[other] Every scheduled hearing in the next { $count } days has its observers.
}
cases-coverage-caption = { $uncovered } without any observer, { $partial } partly covered
cases-col-case = Case
cases-col-coverage = Coverage
cases-coverage-none-yet = No observer yet
cases-coverage-partly = Partly covered
