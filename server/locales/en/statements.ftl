# Joint statements and démarches: the list, a new statement, one statement,
# revising it and the difference between two versions.

## Confirmations after a change.

statements-done-created = The statement was created.
statements-done-revised = Your new version was saved.
statements-done-invited = The invitation was sent.
statements-done-uninvited = The country was removed from the statement.
statements-done-approved = Your country's approval was recorded.
statements-done-declined = Your country's refusal was recorded.
statements-done-withdrawn = Your country's approval was withdrawn.
statements-done-finalized = The statement is final.
statements-done-delivered = The delivery was recorded.

## What kind of text a statement is.

# A diplomatic démarche: a formal representation made to the host government.
statements-kind-demarche = Démarche
statements-kind-public-statement = Public statement
statements-kind-press-release = Press release
statements-kind-letter = Letter

## Where a statement stands.

statements-status-draft = Draft (no country invited yet)
statements-status-circulating = Circulating for signature
statements-status-final = Final
statements-status-delivered = Delivered

## A country's part in a statement.

# The country that leads the statement.
statements-role-lead = Lead
# A country that may also revise the text.
statements-role-co-penholder = Co-penholder
statements-role-invited = Invited

## How a final statement was delivered to the host country.

statements-channel-meeting = Meeting
statements-channel-note-verbale = Note verbale
statements-channel-letter = Letter
statements-channel-publication = Publication
statements-channel-press-conference = Press conference
statements-channel-other = Other

# A stored value this version of Accord does not know.
statements-unknown = Unknown

## A country's answer to the text.

statements-answer-approved = Approved version { $version }
statements-answer-stale = Approved version { $version }, an earlier text: not an approval of the current one
statements-answer-declined = Declined
statements-answer-none = Not answered yet
# "Declined: Our capital cannot sign this."
statements-answer-with-reason = { $answer }: { $reason }
statements-answer-now = Now: { $answer }.

## Form fields (also the labels of the mistakes shown beside them).

statements-field-status = Status
statements-field-kind = Kind
statements-field-host = Addressed to
    .hint = (the host country)
statements-field-title = Title
statements-field-body = Text
    .hint = (version 1; paragraphs and line breaks are kept; at most { $max } characters)
statements-field-invited = Countries invited to sign
    .hint = (optional; you can invite more later)
statements-field-cases = Cases it is about
    .hint = (optional)
statements-field-deadline = Sign-on deadline
    .hint = (optional; date and time in UTC)
statements-field-new-text = New text
    .hint = (at most { $max } characters)
statements-field-countries-to-invite = Countries to invite
statements-field-their-part = Their part
statements-field-participants = Participants
statements-field-answer = Your country's answer
statements-field-reason = Reason for declining
    .hint = (optional; the other countries see it)
statements-field-finalize = Finalize
statements-field-delivered-at = Delivered on (UTC)
statements-field-channel = How
statements-field-from = From version
statements-field-to = To version

## Mistakes in a form.

statements-error-datetime = must be a date and a time (UTC)
statements-error-channel = choose how it was delivered
statements-error-choose-kind = choose what kind of text this is
statements-error-case = is not a case
statements-error-status = is not a status
statements-error-kind = is not a kind
statements-error-version-number = must be a version number
statements-error-no-version = no such version

## The list.

statements-title = Statements
statements-intro = Joint statements and démarches your country leads or is invited to sign.
statements-start-new = Start a new statement
statements-filter = Filter the statements
statements-any-status = Any status
statements-any-kind = Any kind
statements-any-country = Any country
statements-show = Show
statements-table-region = Statements, scrollable
statements-total = { $total ->
    [one] { $total } statement in all
   *[other] { $total } statements in all
}
statements-total-paged = { $total ->
    [one] { $total } statement in all, { $shown } on this page
   *[other] { $total } statements in all, { $shown } on this page
}
statements-col-title = Title
statements-col-kind = Kind
statements-col-status = Status
statements-col-host = Addressed to
statements-col-lead = Lead
statements-col-your-country = Your country
statements-col-deadline = Deadline
statements-none-match = No statement matches.
statements-pages = Pages of statements
statements-first-page = First page
statements-next-page = Next page
# No sign-on deadline was set.
statements-no-deadline = None

## A new statement.

statements-new-title = New statement
statements-new-intro = Your country leads it. Countries you invite are told by email, without the text.
statements-new-kind-hint = A public statement or press release about a case needs the defender's consent to public advocacy.
statements-choose-country = Choose a country
statements-no-other-mission = No other country has a mission on Accord yet.
statements-create = Create the statement

## One statement.

statements-fact-lead = Lead
statements-fact-my-part = Your country's part
statements-fact-started = Started
statements-fact-finalized = Finalized
statements-fact-delivered = Delivered
statements-fact-signatories = Signatories
# When it was delivered, and how: "Monday 1 March 2027, 9:00 AM (UTC), Note verbale".
statements-delivered-how = { $when }, { $channel }
statements-current-heading = Version { $version }, the current text
# Followed by the text's SHA-256 fingerprint.
statements-written-by = Written by { $author }.
statements-revise-link = Revise the text
statements-revise-saved-as = (saved as version { $version })
statements-approve = Approve version { $version }
statements-approve-hint = You approve exactly the text shown above. If it changes before you press, nothing is approved and this page says so.
statements-decline = Decline
statements-withdraw = Withdraw approval
statements-participants-heading = Countries taking part
statements-participants-region = Countries taking part, scrollable
statements-participants-caption = Each country's part and its answer
statements-col-country = Country
statements-col-part = Part
statements-col-answer = Answer
statements-col-action = Action
# A button; a screen reader hears the country's name after it.
statements-remove = Remove
statements-invite-heading = Invite countries
statements-all-take-part = Every country with a mission on Accord takes part already.
statements-part-invited = Invited to sign
statements-part-co-penholder = Co-penholder (may also revise the text)
statements-invite = Invite
statements-finalize-explain = Freezes version { $version }; its signatories are the countries that approved exactly it. Possible once every country has answered it, or after the deadline.
statements-finalize = Finalize version { $version }
statements-deliver-heading = Mark as delivered
statements-deliver-on = Delivered on
    .hint = (date and time in UTC)
statements-deliver = Mark delivered
statements-export-heading = Export
statements-export = Download the final text (Markdown)
statements-export-hint = The final text and its signatories, for the note verbale or the press release. Each export is recorded in the audit log.
statements-versions-heading = Versions
statements-versions-region = Versions, scrollable
statements-versions-caption = Every version, oldest first
statements-col-version = Version
statements-col-written-by = Written by
statements-col-saved = Saved
statements-col-changes = Changes
statements-changes-link = Changes from version { $from } to { $to }
statements-first-version = First version
statements-compare-link = Compare two versions
statements-all-link = All statements
statements-back = Back to the statement

## Revising.

statements-revise-page-title = Revise: { $title }
statements-revise-heading = Revise “{ $title }”
statements-revise-intro = The current text is version { $current }. Your text is saved as version { $next }; approvals of earlier text stop counting.
statements-revise-kept = Written by { $author }. Your text below is kept as you typed it; saving it replaces this one.
statements-revise-save = Save as version { $version }

## The difference between two versions.

statements-diff-page-title = Changes: { $title }
statements-diff-heading = Changes to “{ $title }”
statements-diff-choose = Choose the versions to compare
statements-diff-compare = Compare
statements-diff-range = From version { $from } to version { $to }
statements-diff-same = The two versions are the same text.
statements-diff-counts = { $removed ->
    [one] { $removed } line removed
   *[other] { $removed } lines removed
}, { $added ->
    [one] { $added } line added
   *[other] { $added } lines added
}.
statements-diff-legend = Removed lines are struck through and marked −, added lines are marked +.
# Where a run of changes starts: "From line 12 of version 3".
statements-diff-hunk = From line { $line } of version { $version }
# Read aloud before a removed line.
statements-diff-removed = removed:
# Read aloud before an added line.
statements-diff-added = added:
