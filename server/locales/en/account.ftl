# Signing in, the start page, a person's own account.

home-title = Home
home-welcome = Welcome, { $name }
message-code = Code:

sign-in-title = Sign in
sign-in-email = Email
sign-in-password = Password
sign-in-email-missing = Enter your email address
sign-in-password-missing = Enter your password
sign-in-email-or-password = Email or password
sign-in-wrong = The email or the password is not right

account-title = Your account
account-password-title = Change your password
account-current-password = Current password
account-new-password = New password
account-new-password-hint = (at least { $min } characters; a long phrase is best)
account-password-submit = Change password
account-password-after = Your other sessions end when the password changes; this one stays open.
account-done-password = Your password was changed. Your other sessions have ended.
account-done-session-ended = That session has ended.
account-done-digest = Your coverage digest setting was saved.
account-done-preferences = Your language and time zone were saved.

account-reading-title = Language and time zone
account-language = Language
account-language-browser = My browser's language
account-language-hint = Pages and the emails Accord sends you are written in this language.
account-language-wrong = Choose one of the languages in the list
account-zone = Your time zone
account-zone-mission = My mission's time zone
account-zone-hint = A hearing's time is always shown in the court's own time zone; your own time is shown beside it when it differs.
account-zone-wrong = Choose a time zone from the list
account-save = Save

account-digest-title = Coverage digest
account-digest-day-label = Email me the upcoming hearings that lack observers on
account-digest-day = Digest day
account-digest-day-wrong = choose a day of the week, or off
account-digest-hint = From 07:00 in your mission's time zone: how many hearings of the next { $days } days you can see lack observers, with links. It never names a case or a defender.
account-digest-mondays = Mondays
account-digest-tuesdays = Tuesdays
account-digest-wednesdays = Wednesdays
account-digest-thursdays = Thursdays
account-digest-fridays = Fridays
account-digest-saturdays = Saturdays
account-digest-sundays = Sundays
account-digest-off = Never (off)

account-sessions-title = Where you are signed in
account-sessions-region = Open sessions
account-sessions-caption = Open sessions, newest first
account-sessions-opened = Opened
account-sessions-how = How
account-sessions-until = Until
account-sessions-action = Action
account-sessions-this = (this session)
account-sessions-end = End
account-sessions-end-which = the session opened { $opened }
account-session-web = Web
account-session-web-on = Web: { $browser }
account-session-api = API token
account-sessions-method = Signed in with
account-session-method-password = Password
account-session-method-password-totp = Password and authenticator code
account-session-method-password-recovery-code = Password and recovery code
account-session-method-password-security-key = Password and security key
account-session-method-sso = Your ministry's single sign-on
account-sign-out-everywhere = Sign out everywhere
account-sign-out-everywhere-hint = Ends every session above, this one included.
account-language-unknown = must be one of Accord's languages: { $languages }
# "Firefox on Windows": product names stay as they are.
account-session-browser-on = { $browser } on { $system }
account-session-headless = { $browser } (headless)
account-session-unknown-browser = A browser
