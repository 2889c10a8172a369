# The hearings: the calendar, one hearing, the roster on it and the
# observation form (trial monitoring, OSCE/ODIHR style).

## Confirmations after a change.

hearings-done-place-confirmed = You have a confirmed place on this hearing's roster.
hearings-done-place-waitlisted = You are on this hearing's waitlist. You will be emailed if a place frees up.
hearings-done-place-released = You gave up your place on the roster.
hearings-done-observation-saved = Your observation was saved.

## A place on a roster, in words.

hearings-place-confirmed = Confirmed
hearings-place-waitlisted = Waitlisted
# $number: the place in the waitlist's line (1 = next).
hearings-place-waitlisted-number = Waitlisted, number { $number } in line
hearings-place-suspended = Suspended
hearings-place-suspended-consent = Suspended: the defender withdrew consent
hearings-place-suspended-visibility = Suspended: the country no longer sees the case
hearings-place-unknown = Unknown

## A hearing's status and coverage.

hearings-status-scheduled = Scheduled
hearings-status-postponed = Postponed
hearings-status-held = Held
hearings-status-cancelled = Cancelled
hearings-status-unknown = Unknown
hearings-coverage-uncovered = Not covered
hearings-coverage-partial = Partly covered
hearings-coverage-covered = Covered

## What happened at the hearing (the observation's outcome).

hearings-outcome-access-denied = Access denied
hearings-outcome-adjourned = Adjourned
hearings-outcome-heard = Heard
hearings-outcome-verdict = Verdict
hearings-outcome-postponed = Postponed
hearings-outcome-other = Other

## Answers of the observation.

hearings-yes = Yes
hearings-no = No
hearings-not-recorded = Not recorded
hearings-none-recorded = None recorded
hearings-minutes = { $count ->
    [one] { $count } minute
   *[other] { $count } minutes
}
# Whether the monitor got into the courtroom.
hearings-courtroom-granted = Granted
hearings-courtroom-granted-after-delay = Granted after a delay
hearings-courtroom-denied = Denied
# How open the hearing was to the public or the press.
hearings-access-open = Open
hearings-access-restricted = Restricted
hearings-access-closed = Closed
hearings-access-not-observed = Not observed
# The defendant's access to their lawyer.
hearings-counsel-unrestricted = Unrestricted
hearings-counsel-restricted = Restricted
hearings-counsel-denied = Denied
hearings-counsel-not-observed = Not observed
# Interpretation for a defendant who needs it.
hearings-interpretation-provided = Provided
hearings-interpretation-inadequate = Inadequate
hearings-interpretation-not-provided = Not provided
hearings-interpretation-not-needed = Not needed
# Who was in the courtroom, by category (never names).
hearings-present-family = Family
hearings-present-public = Public
hearings-present-press = Press
hearings-present-other-diplomats = Other diplomats
hearings-present-un-or-international = UN or international bodies
hearings-present-ngo-observers = NGO observers
hearings-present-security-forces = Security forces
hearings-present-government-officials = Government officials
hearings-present-victims = Victims

## The calendar (/hearings).

hearings-title = Hearings
hearings-intro = Trials you may attend as an observer. Times are the court's local time, with your own time ({ $zone }) beside it.
hearings-filter = Filter hearings
hearings-filter-host = Host country
hearings-filter-any-country = Any country
hearings-filter-from = From
hearings-filter-from-hint = (day, in your time)
hearings-filter-to = To
hearings-filter-to-hint = (included)
hearings-filter-submit = Show hearings
hearings-error-date = Enter a date as year-month-day, e.g. 2027-03-01
hearings-error-to-before-from = Must be the same day as From or later
# $later: "yes" on a page after the first.
hearings-count = { $count ->
    [one] { $count } hearing in all
   *[other] { $count } hearings in all
}{ $later ->
    [yes] {" "}(a later page).
   *[no] .
}
hearings-none = No hearings match.
hearings-caption = Hearings by start time
hearings-col-starts = Starts
hearings-col-court = Court
hearings-col-city = City
hearings-col-host = Host country
hearings-col-observers = Observers confirmed / needed
hearings-col-your-place = Your place
hearings-your-place-none = None
hearings-first-page = First page
hearings-next-page = Next page

## One hearing (/hearings/…).

hearing-title = Hearing at { $court }
hearing-heading = Hearing at { $court }, { $city }
hearing-starts = Starts (court's local time)
hearing-duration = Duration
hearing-status = Status
hearing-claims-close = Claims close
hearing-case = Case
hearing-case-not-shared = Not shared with you
hearing-observers = Observers
hearing-observers-count = { $confirmed } confirmed of { $needed } needed: { $coverage }
hearing-your-place = Your place
hearing-your-place-none = None
hearing-claim = Claim a place
hearing-claim-hint = You get a confirmed place while one is free; otherwise you join the end of the waitlist.
hearing-release = Release my place
hearing-release-hint = The first person on the waitlist gets it.
hearing-roster = Roster
# The label of a refusal to claim or release, in the form's error summary.
hearing-roster-action = Roster
hearing-roster-empty = Nobody has claimed a place yet.
hearing-roster-caption = Confirmed observers, then the waitlist in order
hearing-col-place = Place
hearing-col-country = Country
hearing-col-observer = Observer
hearing-observer-hidden = Not shown to your country
hearing-you = (you)
hearing-observations = Observations
hearing-observations-none = No observation has been submitted yet.
# $country: a country code such as NL.
hearing-observation-from = From { $country }
hearing-observation-from-named = From { $country }: { $who }
hearing-observation-submitted = Submitted { $submitted }
hearing-observation-submitted-amended = Submitted { $submitted }; amended { $amended }
hearing-why-amended = Why amended:
hearing-history = The original and earlier versions ({ $count })
hearing-history-original = Original
hearing-history-amendment = Amendment { $number }
hearing-history-times = written { $written }, replaced { $replaced }
hearing-history-why = why: { $reason }
hearing-report-later = You can report on this hearing once it has started.
hearing-form-amend-title = Amend your observation
hearing-form-submit-title = Submit your observation
hearing-form-amend-hint = Your observation is locked as submitted: an amendment gives the full corrected content and why; what you first recorded stays readable.
hearing-form-submit-hint = Facts only; once submitted, corrections are amendments with a reason. Never name the defender or anyone present.
hearing-field-courtroom-access = Access to the courtroom
hearing-field-access-note = How access went
hearing-field-access-note-hint = (optional, e.g. a wait or a search)
hearing-field-public-access = Access for the public
hearing-field-press-access = Access for the press
hearing-field-counsel-access = The defendant's access to counsel
hearing-field-present = Who was present
hearing-field-present-hint = (categories only, never names)
hearing-field-interpretation = Interpretation
hearing-field-duration = Duration
hearing-field-duration-minutes = Duration in minutes
hearing-field-optional = (optional)
hearing-field-adjourned = The hearing was adjourned
hearing-field-adjournment-reason = Reason given for the adjournment
hearing-field-adjournment-reason-short = Reason for the adjournment
hearing-field-adjournment-reason-hint = (only if adjourned)
hearing-field-outcome = Outcome
hearing-field-outcome-hint = (choose "Access denied" if you were refused entry)
hearing-field-choose = Choose
hearing-field-defendant-present = Was the defendant present?
hearing-field-ill-treatment = Was ill-treatment alleged?
hearing-field-notable-events = Notable events
hearing-field-notable-events-hint = (optional; facts, never names)
hearing-field-notes = Notes
hearing-field-notes-hint = (optional; never name the defender)
hearing-field-reason = Reason for the amendment
hearing-field-reason-label = Why you amend it
hearing-field-reason-hint = (required; shown with the amendment)
hearing-form-amend = Amend observation
hearing-form-submit = Submit observation
hearing-error-choose-access = Choose whether you got in
hearing-error-choose-outcome = Choose what happened at the hearing
hearing-error-choose-present = Choose from the list
hearing-error-whole-minutes = Give a whole number of minutes

## An observation as shown (its facts).

hearing-content-present = Present
hearing-content-counsel-access = Access to counsel
hearing-content-adjourned = Adjourned
hearing-content-adjourned-reason = { $adjourned }: { $reason }
hearing-content-defendant-present = Defendant present
hearing-content-ill-treatment = Ill-treatment alleged
