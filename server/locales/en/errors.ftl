# Refusals: why a service said no, and the pages that say it.
# English is the source: the API sends these sentences as its `message`s.

# Why an input was refused. The API says "<field>: <reason>"; a page shows the reason beside the field. Reasons start in lower case and follow the field's name.
sso-issuer-not-allowed = must be an https address without query or fragment (plain http only to this machine, in development)
sso-issuer-unreachable = does not answer with a valid OpenID Connect discovery document
sso-issuer-mismatch = answers a discovery document that names another issuer
sso-issuer-leaves-origin = points its keys or token endpoint away from the issuer's address, or redirects
input-must-not-be-empty = must not be empty
input-too-long = must be at most { $max } { $max ->
        [one] character
       *[other] characters
    }
input-too-short = must be at least { $min } { $min ->
        [one] character
       *[other] characters
    }
input-between = must be between { $min } and { $max }
input-from-to = must be { $min } to { $max }
input-within-days = must be within { $max } { $max ->
        [one] day
       *[other] days
    }
input-must-not-contain-control-characters = must not contain control characters
input-must-not-contain-invisible-or = must not contain invisible or direction-overriding characters (such as U+200B or U+202E)
input-must-be-an-iana-time = must be an IANA time zone name such as Asia/Manila
input-must-be-an-email-address = must be an email address
input-must-be-an-iso-3166 = must be an ISO 3166-1 alpha-2 country code (such as CA or NL) or EU
input-no-country-has-approved-the = no country has approved the current version
input-not-all-answered = { $count ->
        [one] { $count } participating country has
       *[other] { $count } participating countries have
    } not answered the current version: { $countries }; finalize { $when ->
        [ahead] when all have answered or after the deadline ({ $deadline })
       *[none] when all have answered (the statement has no deadline)
    }
input-must-be-a-utc-offset = must be a UTC offset such as +02:00
input-must-be-a-local-date = must be a local date and time without offset, e.g. 2026-12-01T09:30:00
input-local-time-skipped = does not exist in { $zone } (the clocks skip it for daylight saving time)
input-local-time-twice = localStart occurs twice in { $zone } (the clocks go back): give utcOffset { $first } or { $second }
input-offset-not-in-force = is not in force in { $zone } at that local time
input-cannot-be-resolved = cannot be resolved
input-report-transition = cannot { $step ->
        [acknowledge] acknowledge
        [link] link
       *[close] close
    } a report your country's response to is { $state }{ $state ->
        [RECEIVED] {" "}(acknowledge it first)
        [ACKNOWLEDGED] {""}
       *[other] {" "}(its triage is closed)
    }
input-must-be-a-date-such = must be a date such as 2026-11-20
input-not-before = must not be before { $date }
input-not-in-the-future = must not be in the future
input-in-the-future = must be in the future
input-is-required-with-incidenttime-the = is required with incidentTime (the IANA zone of the place, e.g. Asia/Manila)
input-must-be-a-time-such = must be a time such as 21:40
input-time-skipped-on-date = does not exist on that date in { $zone } (the clocks skip it for daylight saving time)
input-must-be-access-denied-exactly = must be ACCESS_DENIED exactly when courtroom access was DENIED
input-must-be-empty-when-courtroom = must be empty when courtroom access was DENIED
input-only-for-an-adjourned-hearing = only for an adjourned hearing (set adjourned)
input-name-at-least-one-standard = name at least one standard applied
input-cite-at-most = cite at most { $max } { $max ->
        [one] observation
       *[other] observations
    }
input-is-not-an-observation-of = is not an observation of this trial
input-not-an-id = is not { $kind ->
        [User] a user
        [Mission] a mission
        [Organization] an organization
        [Coalition] a coalition
        [Case] a case
        [Hearing] a hearing
        [RosterClaim] a roster claim
        [Observation] an observation
        [AttackReport] an attack report
        [Statement] a statement
        [Session] a session
        [IdentityReveal] a reveal request
       *[ClaimOffer] an offer of a roster place
    } id
input-is-not-a-valid-cursor = is not a valid cursor
input-answer-too-large = the answer would be larger than { $max } bytes, the most one response or WebSocket event may carry (ACCORD_MAX_RESPONSE_BYTES), and was not sent; ask for fewer fields or aliases, or a smaller `first:` (a mutation's changes were made all the same)
input-once-credential = only one login, refreshToken or changePassword per request
input-once-diff = only one diff per request; ask for the next one in another request
input-once-export = only one exportMarkdown per request; ask for the next one in another request
input-must-offer-graphql-transport-ws = must offer graphql-transport-ws
input-must-be-application-json = must be application/json
input-body-is-a-batch = is a batch (a JSON array); batches are not accepted: send one request ({"{"}"query": …{"}"}) per POST
input-body-not-one-request = must be one GraphQL request: a JSON object such as {"{"}"query": …{"}"}
input-body-not-json = is not valid JSON; send one GraphQL request ({"{"}"query": …{"}"})
input-body-too-large = the request body is larger than the limit of { $max } bytes ({ $kib } KiB)
input-the-request-body-ended-before = the request body ended before its announced length
input-is-not-a-report = is not a report
input-is-not-a-country-on = is not a country on Accord
input-is-not-shared-with-you = is not shared with you
input-not-one-of-the-choices = is not one of the choices
input-no-such-coalition = no such coalition
input-choose-a-country-or-a = choose a country or a coalition
input-choose-how-much-to-share = choose how much to share
input-choose-to-approve-or-to = choose to approve or to deny
input-choose-a-member = choose a member
input-choose-a-role = choose a role
input-choose-one-from-the-list = choose one from the list
input-must-not-be-before-from = must not be before from
input-you-cannot-change-your-own = you cannot change your own account's status
input-only-diplomats-coordinators-and-admins = only diplomats, coordinators and admins can be assessors
input-give-exactly-one-of-country = give exactly one of country or coalitionId
input-no-such-version = no such version
input-you-hold-no-claim-on = you hold no claim on this hearing
input-name-an-attack-type = must name at least one attack type
input-name-a-perpetrator-type = must name at least one perpetrator type (UNKNOWN if not known)
input-must-be-a-coarse-area = must be a coarse area (a province or district), never coordinates or a map link
input-name-a-country = must name at least one country
input-at-most-countries = must name at most { $max } { $max ->
        [one] country
       *[other] countries
    }
input-at-most-reports = must name at most { $max } { $max ->
        [one] report
       *[other] reports
    }
input-at-most-cases = must name at most { $max } { $max ->
        [one] case
       *[other] cases
    }
input-is-required-to-link-a = is required to link a report
input-name-a-category = must name at least one category
input-the-case-already-belongs-to = the case already belongs to that country
input-the-case-is-not-shared = the case is not shared with it
input-you-cannot-take-your-own = you cannot take your own offer
input-offer-your-place-to-someone = offer your place to someone else, or withdraw your claim
input-has-no-key-yet-they = has no key yet: they receive one when they next sign in
input-your-country-s-identities-wait = your country's identities wait under a migration key: give the claim code the operator handed over
input-there-is-no-migration-key = there is no migration key to claim for your country
input-does-not-open-your-country = does not open your country's key
input-only-diplomats-coordinators-and-admins-may = only diplomats, coordinators and admins may hold the key
input-does-not-hold-your-country = does not hold your country's key
input-loss-warning = must be true: if every member holding the key forgets their password and the recovery key is lost, every identity of your country is lost for good; nobody, not even the operator, can open it
input-must-differ-from-the-current = must differ from the current password
input-is-not-your-current-password = is not your current password
input-link-no-longer-valid = this link is no longer valid: ask for a new one
input-is-already-your-email = is already your email address
input-must-be-invited-or-co = must be INVITED or CO_PENHOLDER
input-statement-at-most-invited = a statement has at most { $max } invited { $max ->
        [one] country
       *[other] countries
    }
input-country-leads-statement = { $country } leads this statement
input-the-lead-country-cannot-be = the lead country cannot be removed
input-your-country-has-no-approval = your country has no approval to withdraw
input-must-not-be-before-the = must not be before the statement was finalized
input-must-say-why = must say why
input-your-country-owns-this-case = your country owns this case: its custodians open the identity
input-an-approval-needs-an-expiry = an approval needs an expiry: give expiresAt or validForDays, not both
input-this-country-already-has-a = this country already has a mission with that name
input-second-factor-not-enrolled = no authenticator app is set up for this account
input-second-factor-code-wrong = this code is wrong, already used or too old
input-second-factor-recovery-code-wrong = this recovery code is wrong or already used
input-second-factor-code-or-recovery = give either a code from the authenticator app or a recovery code
input-must-be-on-or-off = must be on or off
input-is-already-in-use = is already in use
input-no-such-mission = no such mission
input-diplomats-coordinators-and-admins-need = diplomats, coordinators and admins need a missionId and no organizationId
input-no-such-organization = no such organization
input-liaisons-need-an-organizationid-and = liaisons need an organizationId and no missionId
input-an-organization-with-that-name = an organization with that name already exists in this host country
input-your-country-already-convenes-a = your country already convenes a coalition with that name
input-coalition-at-most-countries = at most { $max } { $max ->
        [one] country
       *[other] countries
    }
input-is-not-a-member-of = is not a member of this coalition
input-the-convening-country-cannot-leave = the convening country cannot leave its own coalition
input-no-mission-on-accord = { $country } has no mission on Accord
input-the-owner-country-always-sees = the owner country always sees its assessment
input-must-not-be-after-the = must not be after the start of the hearing
input-the-hearing-has-not-started = the hearing has not started yet

# Why a change clashes with the current state (CONFLICT). A page shows it inside errors-conflict.
conflict-conflicts-with-an-existing-record = conflicts with an existing record
conflict-totp-already-on = an authenticator app is already set up; remove it first
conflict-totp-no-enrolment = no authenticator app is waiting for confirmation; start again
conflict-totp-not-on = no authenticator app is set up
conflict-second-factor-required = two-step sign-in is required for you; it cannot be turned off
conflict-the-statement-is-final-nothing = the statement is final; nothing changes it any more
conflict-the-statement-is-not-final = the statement is not final yet; only a final text is exported
conflict-statement-versions-full = a statement holds at most { $max } versions and this one is full; start a new statement with the text
conflict-submission-key-used = submissionKey was already used for a different report; use a new key for a new report
conflict-reference-already-taken = reference already taken
conflict-the-response-changed-meanwhile-reload = the response changed meanwhile; reload and try again
conflict-offer-not-open = the offer is no longer open (it is { $state ->
        [ACCEPTED] accepted
        [DECLINED] declined
        [WITHDRAWN] withdrawn
        [EXPIRED] expired
        [CANCELLED] cancelled
       *[OPEN] open
    })
conflict-colleague-offers-waiting = this colleague already has { $max } offers waiting for an answer
conflict-your-place-is-already-on = your place is already on offer; withdraw that offer first
conflict-the-offered-place-is-no = the offered place is no longer held
conflict-already-hold-claim = you already hold a claim on this hearing
conflict-too-many-claims = you already hold claims on { $max } open hearings; release one first
conflict-overlapping-claim = you already hold a claim on a hearing at an overlapping time
conflict-the-requesting-country-has-no = the requesting country has no identity key any more
conflict-your-country-already-has-an = your country already has an identity key
conflict-your-country-already-has-an-identity = your country already has an identity key; rotate it instead
conflict-the-last-custodian-keeps-the = the last custodian keeps the key: grant it to another member first
conflict-email-address-taken = another account already uses this email address
conflict-only-a-final-not-yet = only a final, not yet delivered statement can be marked delivered
conflict-this-case-has-had-too = this case has had too many reveal requests
conflict-your-country-already-has-an-open = your country already has an open request for this case
conflict-that-country-no-longer-sees = that country no longer sees this case in detail
conflict-this-request-was-already-decided = this request was already decided
conflict-only-a-running-approval-can = only a running approval can be revoked
conflict-that-country-is-already-a = that country is already a member
conflict-coalition-full = a coalition has at most { $max } members besides its convener
conflict-assessment-versions = an assessment keeps at most { $max } versions
conflict-hearing-status = a { $from } hearing cannot become { $to }
conflict-you-already-submitted-your-observation = you already submitted your observation of this hearing; amend it (amendObservation) to correct it
conflict-the-hearing-was-cancelled = the hearing was cancelled
conflict-observation-amended-max = this observation was amended { $max } times, the most allowed
conflict-hearing-observations-max = the hearing holds { $max } observations, the most allowed

# What the defender's consent does not cover (CONSENT_REQUIRED).
consent-the-defender-has-withdrawn-consent = the defender has withdrawn consent to trial observation
consent-the-victim-s-consent-to = the victim's consent to share this report with the chosen countries is required
consent-the-defender-has-not-consented = the defender has not consented to sharing this case with partners
consent-a-linked-case-has-no = a linked case has no consent to public advocacy; a public statement about it cannot be finalized, delivered or exported
consent-the-defender-has-not-consented-to = the defender has not consented to public advocacy
consent-the-defender-has-not-consented-to-trial = the defender has not consented to trial observation

# Why no roster place can be had (SLOT_UNAVAILABLE).
slot-the-offer-has-expired = the offer has expired
slot-hearing-not-open = the hearing is not open for claims (postponed, held or cancelled)
slot-claim-deadline-passed = the claim deadline has passed

# Why a defender's identity stays sealed for this reader (IDENTITY_LOCKED).
locked-no-country-key = identities are locked: your country has no identity key yet; an admin of your country sets one up
locked-not-a-custodian = identities are locked: you do not hold your country's identity key; an admin of your country can grant it
locked-session-locked = identities are locked in this session: sign in again with your password to unlock them

# Refusals as pages: the title, the sentence and the way back.
errors-title-sign-in = Please sign in
errors-title-forbidden = Not allowed
errors-title-not-found = Not found
errors-title-bad-input = Please check what you entered
errors-title-conflict = This has changed
errors-title-consent = Consent required
errors-title-slot = No place available
errors-title-identity-locked = Identity locked
errors-title-sso-required = Sign in through your ministry
errors-sso-required = Your mission signs its people in only through its single sign-on. Use the sign-in link your administrator gave you.
errors-title-rate-limited = Please wait
errors-title-unavailable = Try again shortly
errors-title-internal = Something went wrong
errors-sign-in-again = Please sign in again.
errors-forbidden = Your role does not allow this.
errors-not-found = This does not exist, or it is not shared with you (any more).
# The field's name (as the API names it) and why it was refused.
errors-bad-input = { $field }: { $reason }
errors-conflict = This clashes with the current state: { $reason }.
errors-stale-version = That is not the current version any more; the current version is { $current }. Nothing was changed.
errors-consent-required = The defender's consent does not cover this: { $reason }.
errors-slot-unavailable = No place can be had: { $reason }.
# $reason is one of the locked-… sentences, its first letter in upper case.
errors-identity-locked = { $reason }.
errors-second-factor-required = A second sign-in step is needed. Please sign in again.
errors-rate-limited = Too many attempts. Please try again in { $seconds } { $seconds ->
        [one] second
       *[other] seconds
    }.
errors-unavailable = Accord cannot reach its database right now. Nothing was changed. Please try again in { $seconds } { $seconds ->
        [one] second
       *[other] seconds
    }.
errors-internal = Something went wrong on our side. Nothing you typed was shown to anyone; please try again.
errors-back-to-start = Back to the start page
# The label of a form's error that belongs to no one field.
errors-this-form = This form
errors-too-large-title = Too much to send at once
errors-too-large = What you sent is larger than Accord accepts in one form. Nothing was saved; please shorten it and try again.
errors-timeout-title = This took too long
errors-timeout = Accord stopped this request because it took too long. If you were changing something, check whether it was saved before trying again.
errors-cross-site-title = Refused: this came from another site
errors-cross-site-only-own-pages = Accord only accepts changes made from its own pages. Nothing was changed.
errors-cross-site-open-directly = If you used a bookmark or another site's button, open Accord directly and try again.
errors-open-accord = Open Accord

# Security keys (WebAuthn).
input-security-keys-unavailable = security keys cannot be used on this server: its public address must be a domain name
input-security-key-not-accepted = the security key's answer was not accepted; try again
input-security-key-start-again = took too long or was already used; start again
input-security-key-name-length = must be 1 to { $max } characters
input-no-security-key = you have no security key
conflict-security-key-limit = you already have { $max } security keys; remove one first
conflict-security-key-already-registered = this security key is already registered
