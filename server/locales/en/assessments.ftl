# Fairness assessments of a trial (TrialWatch's grades A to F), kept apart
# from the monitors' observations.

## Confirmations after a change.

assessments-done-assessor-appointed = The user is now an assessor: they may write your country's fairness assessments.
assessments-done-assessor-dismissed = The user is no longer an assessor; what they wrote stays.
assessments-done-saved = The new version of the assessment was saved.
assessments-done-shared = The assessment is shared with that country (while it sees the trial).
assessments-done-unshared = The assessment is no longer shared with that country.

## What each grade means (shown beside the grade and published with it).

assessments-grade-a = No violations of international fair-trial standards, or only minimal ones.
assessments-grade-b = Violations of international fair-trial standards that did not affect the outcome and did not cause significant harm.
assessments-grade-c = Violations of international fair-trial standards that may have affected the outcome or caused significant harm.
assessments-grade-d = Violations of international fair-trial standards that affected the outcome or caused significant harm.
assessments-grade-f = Gross violations of international fair-trial standards that affected the outcome or caused significant harm.

## The international standards applied.

assessments-standard-iccpr-14 = ICCPR, article 14 (fair trial)
assessments-standard-iccpr-9 = ICCPR, article 9 (liberty and security)
assessments-standard-iccpr-7 = ICCPR, article 7 (torture and ill-treatment)
assessments-standard-iccpr-19 = ICCPR, article 19 (freedom of expression)
assessments-standard-udhr-10 = UDHR, article 10 (fair and public hearing)
assessments-standard-udhr-11 = UDHR, article 11 (presumption of innocence)
assessments-standard-achpr-7 = African Charter, article 7 (fair trial)
assessments-standard-achr-8 = American Convention, article 8 (fair trial)
assessments-standard-echr-6 = European Convention, article 6 (fair trial)
assessments-standard-arab-charter-13 = Arab Charter, article 13 (fair trial)
assessments-standard-un-lawyers = UN Basic Principles on the Role of Lawyers
assessments-standard-un-judiciary = UN Basic Principles on the Independence of the Judiciary
assessments-standard-un-prosecutors = UN Guidelines on the Role of Prosecutors
assessments-standard-cat = Convention against Torture
assessments-standard-other = Other standards (named in the reasoning)

## The assessment page.

assessments-title = Fairness assessment, case { $reference }
assessments-heading = Fairness assessment of the trial, case { $reference }
assessments-back-to-case = Back to the case
assessments-about = An expert's graded judgement of the whole trial against international fair-trial standards, kept apart from the monitors' observations.
assessments-about-owner = Your country's coordinators, admins and assessors see it; a partner country sees it only if you share it with them and they still see the trial.
assessments-about-partner = Shared with your country by the case's owner country.
assessments-current = Grade { $grade }
assessments-version-hint = (version { $number })
assessments-standards = Standards applied
assessments-standards-hint = (at least one)
assessments-cited = Observations drawn on
assessments-written = Written
# "<date>, <country>"
assessments-written-by = { $date }, { $country }
assessments-reasoning = Reasoning
assessments-reasoning-hint = (written for publication: no names of the defender or of anyone at risk)
assessments-publication-link = Text for publication
assessments-publication-hint = (only with the defender's consent to public advocacy; each export is recorded in the audit log)
assessments-earlier = Earlier versions
assessments-version-grade = Version { $number }: grade { $grade }
assessments-none = No assessment has been written yet.
assessments-shared-with = Shared with
assessments-shared-none = No partner country.
assessments-country-code = Country code (e.g. NL)
assessments-share = Share the assessment
assessments-unshare = Stop sharing
assessments-write-first = Write the assessment
assessments-write-next = Write a new version
assessments-grade = Grade
assessments-no-observations = No observation of this trial yet.
assessments-save = Save as version { $number }
# A country with its code: "Netherlands (NL)".
assessments-country = { $name } ({ $code })
# An observation to cite: "<court>, <date>: observed by <country> (<outcome>)".
assessments-cite = { $court }, { $date }: observed by { $country } ({ $outcome })
assessments-field-grade = Assessment
assessments-field-cited = Observations cited
assessments-field-country = Country
assessments-field-sharing = Sharing
assessments-error-choose-grade = choose a grade
assessments-error-not-observation = is not an observation of this trial

## The text for publication.

assessments-publication-title = Fairness assessment: text for publication
assessments-publication-heading = Text for publication
assessments-publication-back = Back to the assessment
assessments-publication-about = The grade, its meaning, the standards and the reasoning, without the case's reference, the pseudonym, the assessor or the monitors. Read it once more for anything that could identify someone before publishing. This export was recorded in the audit log.
assessments-publication-grade = Trial fairness grade: { $grade }
assessments-publication-standards = Standards applied: { $standards }
assessments-publication-date = Assessed on { $date }.
