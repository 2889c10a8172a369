## Two-step sign-in: the second step, enrolling an authenticator app,
## recovery codes, and a mission's rule.

two-step-title = Two-step sign-in
two-step-manage = Manage two-step sign-in
two-step-summary-on = { $count ->
    [one] Two-step sign-in is on, with an authenticator app. { $count } recovery code is left.
   *[other] Two-step sign-in is on, with an authenticator app. { $count } recovery codes are left.
}
two-step-summary-off = Two-step sign-in is off: a password alone signs you in.
two-step-summary-required = Two-step sign-in is required for your account.
two-step-required-intro = Your mission or the platform requires two-step sign-in. Set up an authenticator app to finish signing in.
two-step-begin-submit = Set up an authenticator app
two-step-scan-title = Add Accord to your authenticator app
two-step-scan-intro = Scan this QR code with your authenticator app, then type the six-digit code it shows.
two-step-qr-label = QR code holding the secret for your authenticator app
two-step-secret-intro = If you cannot scan it, type this secret into the app instead:
two-step-code = Six-digit code from your authenticator app
two-step-confirm-submit = Turn on two-step sign-in
two-step-codes-title = Recovery codes
two-step-codes-submit = Make new recovery codes
two-step-codes-hint = Your old recovery codes stop working.
two-step-remove-title = Turn off two-step sign-in
two-step-remove-submit = Turn off two-step sign-in
two-step-back = Back to your account
two-step-codes-shown-title = Your recovery codes
two-step-codes-write = Write these codes down and keep them somewhere safe.
two-step-codes-once = Each works once, if you lose your authenticator app. They are shown only this once.
two-step-continue = Continue
two-step-sign-in-title = Second sign-in step
two-step-code-intro = Open your authenticator app and type the six-digit code it shows for Accord.
two-step-recovery-intro = Type one of the recovery codes you wrote down. Each works once.
two-step-recovery-code = Recovery code
two-step-verify = Continue
two-step-use-recovery = Use a recovery code instead
two-step-use-app = Use a code from your authenticator app instead
two-step-start-again = Start again
two-step-done-off = Two-step sign-in is off.
two-step-done-mission-set = The mission's two-step sign-in rule is saved.
two-step-admin-title = Two-step sign-in for the mission
two-step-admin-legend = Must everyone in your mission sign in in two steps?
two-step-admin-on = Required: a code from an authenticator app after the password
two-step-admin-off = Each person chooses
two-step-admin-hint = People without an authenticator app set one up at their next sign-in.
two-step-admin-submit = Save the rule
