# Emails. Plain text: no markup. Each message is a whole line of the email;
# `.subject` is the email's subject, `.opening` its first paragraph.
# The brand "Accord" is not translated.

mail-greeting = Hello,
mail-sign-off = -- Accord
# $link: the page the email is about (after sign-in).
mail-details-link = Details (sign in): { $link }
mail-withheld-case = This message deliberately carries no case details.
mail-withheld-report = This message deliberately carries no report details.
mail-withheld-statement = This message deliberately carries no statement text.

## The facts of a hearing an email names: never the case.

mail-court = Court: { $court }
# The two spaces align the value with the lines around it.
mail-city = City:  { $city }
# $start: the court's local time with its zone, the reader's own beside it.
mail-start = Start: { $start }
mail-start-postponed = Start: { $start } (postponed)
mail-start-cancelled = Start: { $start } (cancelled)

## Hearing notices.

mail-reminder =
    .subject = Accord: trial observation reminder ({ $hours } h)
    .opening = You are confirmed to observe this hearing, which starts soon.
mail-promoted =
    .subject = Accord: you are confirmed on a trial roster
    .opening = A place became free: you moved from the waitlist to a confirmed place on the roster for this hearing.
mail-demoted =
    .subject = Accord: moved to the waitlist
    .opening = Fewer observers are needed for this hearing: your confirmed place went back to the waitlist. You will be told if a place frees up.
mail-rescheduled =
    .subject = Accord: hearing rescheduled
    .opening = A hearing you are on the roster for has a new start time.
mail-postponed =
    .subject = Accord: hearing postponed
    .opening = A hearing you are on the roster for has been postponed; no new date is set yet.
mail-cancelled =
    .subject = Accord: hearing cancelled
    .opening = A hearing you are on the roster for has been cancelled; your place on its roster is void.

## Handing a roster place over to a colleague.

mail-offered =
    .subject = Accord: a colleague offers you their roster place
    .opening = A colleague offers you their place on the trial roster for this hearing. Sign in to accept or decline it before the claim deadline.
mail-offer-taken =
    .subject = Accord: you took over a roster place
    .opening = You accepted a hand-over: the roster place for this hearing is now yours, where it stood on the roster.
mail-offer-given =
    .subject = Accord: your roster place was taken over
    .opening = A colleague accepted your offer: your place on the roster for this hearing is now theirs, and you no longer hold it.
mail-offer-declined =
    .subject = Accord: your roster place offer was declined
    .opening = The colleague you offered your roster place to declined it; you still hold the place.
mail-offer-expired =
    .subject = Accord: your roster place offer expired
    .opening = Nobody took your roster place before the claim deadline; you still hold it.
mail-offer-cancelled =
    .subject = Accord: your roster place offer was cancelled
    .opening = Your offer of a roster place for this hearing was cancelled: the place can no longer be handed over as offered.

## Attack reports: that one needs attention, never what it says.

mail-report-received =
    .subject = Accord: a new attack report needs attention
    .opening = An attack report was sent to your country. Please sign in and triage it.
mail-report-unacknowledged =
    .subject = Accord: an attack report is still waiting for your country
    .opening = An attack report sent to your country has not been acknowledged yet. Please sign in and triage it.
# Deliberately does not name the country.
mail-report-responded =
    .subject = Accord: a country responded to your report
    .opening = A country updated its response to an attack report your organization submitted. Please sign in to read it.

## Joint statements: what is asked, never the title or the text.

mail-statement-invited =
    .subject = Accord: your country is invited to sign a joint statement
    .opening = Your country was invited to review and sign on to a joint statement or démarche.
# $version: the new version's number.
mail-statement-stale =
    .subject = Accord: a statement you approved has changed
    .opening = A joint statement your country approved now has a new version ({ $version }); your approval no longer counts until you approve the new text.
# $deadline: the deadline on the reader's clock, with its zone (and in UTC).
mail-statement-deadline =
    .subject = Accord: a statement's sign-on deadline is near
    .opening = Your country has not yet answered the current text of a joint statement. The sign-on deadline is { $deadline }.
mail-statement-finalized =
    .subject = Accord: a joint statement was finalized
    .opening = A joint statement your country took part in was finalized; sign in to see the final text and its signatories.
# A moment on the reader's clock, then the same moment in UTC.
mail-time-and-utc = { $local }; { $utc }

## Requests to see a defender's identity.

mail-reveal-requested =
    .subject = Accord: a partner asks to see an identity
    .opening = A partner country asks to see the identity of a defender in one of your country's cases. A custodian of your country's key decides; please sign in.
mail-reveal-decided =
    .subject = Accord: your identity request was answered
    .opening = The country that owns a case answered your country's request to see a defender's identity. Please sign in to read the decision.

## The weekly coverage digest: counts and links only.

mail-digest-covered =
    .subject = Accord: every upcoming hearing you see has its observers
    .opening = In the next { $days } days, no hearing you can see lacks observers.
mail-digest-subject = { $total ->
    [one] Accord: { $total } upcoming hearing lacks observers
   *[other] Accord: { $total } upcoming hearings lack observers
}
# $open: observer places still free among the listed hearings; $none: listed hearings with no observer at all.
mail-digest-opening = { $total ->
    [one] In the next { $days } days, { $total } hearing you can see lacks observers. Among those listed below: open observer places, { $open }; hearings with no observer yet, { $none }.
   *[other] In the next { $days } days, { $total } hearings you can see lack observers. Among those listed below: open observer places, { $open }; hearings with no observer yet, { $none }.
}
mail-digest-line = - { $confirmed } of { $needed } observers confirmed: { $link }
mail-digest-more = - and { $count } more
mail-digest-overview = Coverage overview (sign in): { $link }

## About the reader's own sign-in.

mail-recovery-code-used =
    .subject = Accord: a recovery code was used to sign in to your account
    .opening = Someone signed in to your Accord account with one of your recovery codes. That code no longer works.
mail-totp-removed =
    .subject = Accord: two-step sign-in was turned off on your account
    .opening = Two-step sign-in with an authenticator app was turned off on your Accord account, and its recovery codes no longer work.
mail-security-when = When: { $when }
mail-security-not-you = If this was not you, change your password at once, sign out everywhere, and tell your mission's administrator.
