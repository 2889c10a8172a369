# Attack reports: the form a liaison (or a mission, for a source) fills in,
# the list of reports, one report, and a recipient country's triage.
# Liaisons read these on phones: keep them plain.

## Confirmations after a change

reports-done-filed = Your report was filed and sent to the countries you chose.
reports-done-acknowledged = The report is acknowledged.
reports-done-linked = The report is linked to the case.
reports-done-closed = The report's triage is closed.

## What was done (one per attack type)

reports-attack-killing = Killing or attempted killing
reports-attack-physical-attack = Physical attack
reports-attack-threat = Threat or intimidation
reports-attack-judicial-harassment = Judicial harassment
reports-attack-arbitrary-detention = Arbitrary detention
reports-attack-enforced-disappearance = Enforced disappearance
reports-attack-surveillance = Surveillance
reports-attack-smear-campaign = Smear campaign
reports-attack-raid = Raid or break-in
reports-attack-travel-ban = Travel ban
reports-attack-digital-attack = Digital attack
reports-attack-sexual-violence = Sexual violence
reports-attack-other = Other (say what in the description)

## Who is behind it (one per perpetrator kind)

reports-perpetrator-state = State officials (police, military, judiciary…)
reports-perpetrator-non-state-armed = Non-state armed group
reports-perpetrator-corporation = Company
reports-perpetrator-private-security = Private security
reports-perpetrator-organized-crime = Organized crime
reports-perpetrator-private-individual = Private individual
reports-perpetrator-unknown = Not known
reports-perpetrator-other = Other (say what in the description)

## Where a recipient country's response stands (shown in words, never colour alone)

reports-state-received = Received, not yet acknowledged
reports-state-acknowledged = Acknowledged
reports-state-linked = Linked to a case
reports-state-no-action = Closed: no action
reports-state-escalated = Closed: escalated
reports-state-unknown = Unknown

## The report form

reports-new-title = Report an attack
reports-new-intro = What you write here is sent only to the embassies of the countries you choose. Do not write the defender's exact address or map coordinates.
reports-new-where-when = Where and when
reports-field-host-country = Country where it happened
reports-choose-country = Choose a country
reports-field-region = Region
reports-field-region-hint = (optional: a province or district, never an address or coordinates)
reports-field-incident-date = Date of the incident
# The date is typed as year-month-day.
reports-field-incident-date-hint = (such as 2026-11-20)
reports-field-incident-time = Local time
# The time is typed on a 24-hour clock, hours:minutes.
reports-field-incident-time-hint = (optional, such as 21:40; needs the time zone)
reports-field-timezone = Time zone of the place
reports-optional = (optional)
reports-timezone-none = Not given
# A group of time zones in the list, by the first part of their name.
reports-zone-region = { $region ->
    [Africa] Africa
    [America] America
    [Antarctica] Antarctica
    [Arctic] Arctic
    [Asia] Asia
    [Atlantic] Atlantic
    [Australia] Australia
    [Europe] Europe
    [Indian] Indian Ocean
    [Pacific] Pacific
   *[other] { $region }
}
reports-new-what-happened = What happened
reports-field-attack-types = What was done
reports-choose-all = (choose all that apply)
reports-field-perpetrator-types = Who is behind it
reports-field-description = What happened
reports-field-description-hint = (at most { $max } characters)
reports-field-priors = Earlier reports on the same defender
reports-new-who-receives = Who receives it
reports-field-recipients = Send to
reports-field-recipients-hint = (countries with an embassy on Accord)
# A mission filing on behalf of a source: its own country always receives the report.
reports-own-country-receives = { $country } always receives reports you file on behalf of a source.
reports-field-consent = Consent
# The consent box. It must say exactly this: the person who was attacked
# agrees that this report is shared with the countries chosen above.
reports-consent-box = The victim agrees to share this report with these countries
reports-send = Send the report
reports-send-once = Pressing twice files one report.
# An earlier report offered in the form: its reference, the incident's date, the country.
reports-prior-choice = { $reference } · { $date } · { $country }
reports-field-form = This form

## What the form says is missing or wrong

reports-error-choose-country = Choose the country
reports-error-enter-date = Enter the date, such as 2026-11-20
reports-error-choose-attack = Choose at least one kind of attack
reports-error-choose-perpetrator = Choose at least one ("Not known" if not known)
reports-error-describe = Describe what happened
reports-error-choose-recipient = Choose at least one country
reports-error-consent-missing = The victim's consent is required: without it nothing is stored
reports-error-consent-required = the victim's consent to share this report with the chosen countries is required
reports-error-prior-unknown = one of them does not exist, or it is not shared with you
reports-error-region-coordinates = must be a coarse area (a province or district), never coordinates or a map link
reports-error-date-format = must be a date such as 2026-11-20
reports-error-date-too-early = must not be before { $earliest }
reports-error-future = must not be in the future
reports-error-time-format = must be a time such as 21:40
reports-error-time-needs-zone = is required with incidentTime (the IANA zone of the place, e.g. Asia/Manila)
reports-error-time-skipped = does not exist on that date in { $zone } (the clocks skip it for daylight saving time)
reports-error-too-long = must be at most { $max } characters
reports-error-recipients-too-many = must name at most { $max } countries
reports-error-priors-too-many = must name at most { $max } reports
reports-error-country-code = must be a two-letter country code, such as PH
reports-error-filter-date = must be a date such as 2026-11-20

## The list of reports

reports-list-mine = My reports
reports-list-sent-to = Attack reports sent to { $country }
reports-list-all = Attack reports
reports-filter = Filter the reports
reports-filter-any-response = Any response
reports-filter-your-response = Your country's response
reports-filter-any-state = Any state
reports-filter-kind = Kind of attack
reports-filter-any-kind = Any kind
reports-filter-country-code = Country code
reports-filter-country-code-hint = (such as PH)
reports-filter-from = On or after
reports-filter-to = On or before
reports-filter-from-label = Incident on or after
reports-filter-to-label = Incident on or before
reports-filter-page = Page
reports-filter-button = Filter
reports-count = { $count ->
    [one] { $count } report.
   *[other] { $count } reports.
}
reports-caption-mine = Your organization's reports and what each country did, newest first
reports-caption-country = Reports sent to your country, newest first
reports-col-report = Report
reports-col-incident = Incident
reports-col-where = Where
reports-col-what = What was done
reports-col-responses = Responses
reports-col-your-response = Your country's response
# A country's response in the liaison's list: "Netherlands: Acknowledged".
reports-country-state = { $country }: { $state }
reports-pages = Pages
reports-first-page = First page
reports-next-page = Next page

## One report

reports-report-title = Report { $reference }
reports-where = Where
reports-when = When
reports-filed = Filed
# The region after the country: "Philippines, Negros Oriental".
reports-place = { $country }, { $region }
# When the report was filed, and by which organization.
reports-filed-by = { $when } by { $organization }
reports-erased = The description was erased, as the retention rules require.
reports-erased-on = The description was erased on { $date }, as the retention rules require.
reports-linked-cases = Linked cases
reports-case-link = Case { $reference }
reports-responses = Responses
reports-responses-caption = What each country did with this report
reports-col-country = Country
reports-col-state = State
reports-col-note = Note
reports-col-updated = Updated
reports-all = All reports

## A recipient country's triage

reports-triage-for = Triage for { $country }
reports-triage-state = Your country's response: { $state }.
reports-acknowledge = Acknowledge
reports-note-for-reporter = Note for the reporter
reports-note-ack-hint = (optional; the submitting organization reads it)
reports-link-title = Link to a case
reports-field-case = Case
reports-field-case-hint = (the case's address or id, as in /cases/…)
reports-link-button = Link to the case
reports-close-title = Close without a case
reports-field-outcome = Outcome
reports-outcome-no-action = No action
reports-outcome-escalated = Escalated
reports-field-close = Close
reports-close-button = Close the triage
reports-error-choose-outcome = Choose how the triage ends
reports-error-not-case-id = is not a case id (copy it from the case's address, /cases/…)
reports-error-no-such-case = no such case, or it is not shared with your mission
reports-error-case-hidden = your mission does not see this case in detail, so it cannot link to it
