# The country's identity key page, the page showing a new recovery key once,
# and the reveal requests inbox.

## Confirmations after a change

identity-done-key-recovered = The recovery key opened your country's key: you hold it again.
identity-done-access-granted = They now hold your country's identity key.
identity-done-access-revoked = Their copies of your country's identity key were deleted.
identity-done-identities-resealed = Identities were moved to the current key.

## The key's status

identity-title = Identity key
identity-heading = Your country's identity key
identity-intro = Defenders' identities are sealed with your country's key. Only the members who hold it open them, and only in a session signed in with their password.
identity-country = Country
identity-key = Key
identity-key-ready = Ready
# $when: the date and time the key was made.
identity-key-ready-made = Ready, made { $when }
identity-key-claimable = Waiting to be claimed with the operator's claim code
identity-key-none = None yet: identities cannot be recorded or opened
identity-you = You
# What the signed-in person can do with the key (the term is "You").
identity-you-unlocked = Hold the key; this session can open identities
identity-you-locked = Hold the key; sign in again with your password to unlock it in this session
identity-you-grantable = Do not hold the key; an admin can grant it
identity-you-not-holder = Do not hold the key
identity-pending-term = Waiting to be re-sealed
identity-pending = { $count ->
    [one] { $count } identity
   *[other] { $count } identities
} still under a retired key

## Who holds the key

identity-holders = Who holds the key
identity-holders-none = Nobody.
identity-holder-you = { $name } (you)
# The button shows "Revoke"; `.hidden` follows it for screen readers.
identity-revoke = Revoke
    .hidden = { $name }'s copy
identity-grant-title = Grant the key
identity-grant-member = Member of your mission
identity-grant-choose = Choose a member
# A member in the list: name and role.
identity-grant-choice = { $name } ({ $role })
identity-grant-submit = Grant
identity-grant-hint = Granting needs your own copy, unlocked in this session. A member who has never signed in has no key yet to receive it.
identity-reseal-title = Re-seal identities
identity-reseal-about = Identities move to the current key as they are opened; re-sealing moves up to 500 more now.
identity-reseal-submit = Re-seal now

## Requests to reveal identities

identity-requests = Requests to reveal identities
identity-waiting-title = Waiting for your country's decision
identity-waiting-none = No request is waiting.
# The link to the case.
identity-case-link = Case { $reference }
# $case: the link to the case; $country: the country asking; $date: when.
identity-waiting-row = { $case }: { $country } asked on { $date }.
identity-asked-title = Your country's requests
identity-asked-none = Your country has not asked for an identity.
# $case: the link to the case; $state: where the request stands.
identity-asked-row = { $case }, asked on { $date }: { $state }
identity-asked-row-open = { $case }, asked on { $date }: { $state } (open until { $until })

## Setting up, rotating and recovering the key (admins)

# Shown above setting up and rotating the key: it must be exact.
identity-loss-warning = If every member holding the key forgets their password and the recovery key is lost, every identity of your country is lost for good; nobody, not even the operator, can open it.
identity-setup-title = Set up the key
identity-setup-about = You receive the key now, with a recovery key shown once: write it down and keep it apart from every password.
identity-setup-acknowledge = I understand: if the key holders' passwords and the recovery key are all lost, the identities are lost for good
identity-claim-code = Claim code
identity-claim-code-hint = (only if the operator gave you one)
identity-setup-submit = Set up the key
identity-rotate-title = Rotate the key
identity-rotate-about = A new key replaces this one: every holder receives it, a new recovery key is shown once and the old one stops working once identities have moved.
identity-rotate-acknowledge = I understand: if the key holders' passwords and the new recovery key are all lost, the identities are lost for good
identity-rotate-submit = Rotate the key
identity-recover-title = Recover with the recovery key
identity-recover-about = When no holder can open the key any more, the recovery key gives it back to you.
identity-recovery-key = Recovery key
identity-recover-submit = Recover the key

## Form errors: the labels they are shown under, and the unticked box

identity-tick-the-box = Tick the box to confirm you understand the risk of loss
identity-field-risk = Risk of loss
identity-field-reseal = Re-seal
identity-field-member = Member
identity-field-holders = Key holders

## The page showing a new recovery key, once

identity-new-key-title = Recovery key
identity-new-key-ready = Your country's identity key is ready
identity-new-key-replaced = Your country's identity key was replaced
identity-new-key-yours = Your recovery key
identity-new-key-write = Write it down now, on paper, and keep it apart from every password.
identity-new-key-once = It is shown this once: Accord does not keep it, and nobody, not even the operator, can show it again. With it, an admin regains the key when every holder has lost theirs.
# "Re-seal now" is the button on the identity key page (identity-reseal-submit).
identity-new-key-pending = { $count ->
    [one] { $count } identity is still sealed under the old key; they move as they are opened, or with "Re-seal now" on the identity key page.
   *[other] { $count } identities are still sealed under the old key; they move as they are opened, or with "Re-seal now" on the identity key page.
}
identity-new-key-all-sealed = Every identity is sealed under the current key.
identity-new-key-back = I have written it down: back to the identity key page
