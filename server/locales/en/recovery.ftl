# Recovery pages: forgot password, the reset page a link opens, an email
# change and an admin's forced reset.

recovery-forgot-link = Forgot your password?
recovery-forgot-title = Forgot password
recovery-forgot-intro = Give the email address of your account. If an account has it, a link to choose a new password is sent there; it works once, within 30 minutes.
recovery-forgot-submit = Send me a link
recovery-back-to-sign-in = Back to sign in
recovery-done-reset-requested = If an account has this address, a link is on its way. Check your inbox.
recovery-reset-title = Choose a new password
recovery-reset-identity-warning = Identities you could open stay closed after this reset, until an administrator of your mission grants you access again: your key was protected by your old password.
recovery-reset-last-custodian = You are the only person holding your country's key: until an administrator grants access again, only the recovery key opens your country's identities.
recovery-reset-submit = Set the new password
recovery-reset-after = Every session of yours ends, on every device; then sign in with the new password.
recovery-done-password-reset = Your password was set. Sign in with it.
recovery-link-invalid-title = This link is no longer valid
recovery-link-invalid = The link is unknown, already used, replaced by a newer one or expired. Ask for a new one.
recovery-ask-again = Ask for a new link
recovery-email-change-title = Email address
recovery-new-email = New email address
recovery-email-change-submit = Change the address
recovery-email-change-hint = A link to confirm is sent to the new address (it works once, within 24 hours); your current address is told of the change.
recovery-done-email-change-requested = A confirmation link was sent to the new address. Your address changes once you open it.
recovery-email-title = Confirm your new email address
# $address: the new address, in full (only its owner has the link).
recovery-email-intro = Your Accord account will use { $address } from now on.
recovery-email-submit = Confirm this address
recovery-done-email-changed = Your email address was changed: sign in with it from now on.
recovery-force-reset = Reset password
recovery-done-password-reset-forced = The password no longer works, every session ended, and a reset link was sent to the person.
