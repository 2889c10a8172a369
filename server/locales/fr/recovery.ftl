# Recovery pages: forgot password, the reset page a link opens, an email
# change and an admin's forced reset.

recovery-forgot-link = Mot de passe oublié ?
recovery-forgot-title = Mot de passe oublié
recovery-forgot-intro = Indiquez l'adresse électronique de votre compte. Si un compte l'utilise, un lien pour choisir un nouveau mot de passe y est envoyé ; il ne fonctionne qu'une fois, dans les 30 minutes.
recovery-forgot-submit = M'envoyer un lien
recovery-back-to-sign-in = Retour à la connexion
recovery-done-reset-requested = Si un compte utilise cette adresse, un lien est en route. Consultez votre boîte de réception.
recovery-reset-title = Choisir un nouveau mot de passe
recovery-reset-identity-warning = Les identités que vous pouviez ouvrir resteront fermées après cette réinitialisation, jusqu'à ce qu'un administrateur de votre mission vous en rende l'accès : votre clé était protégée par votre ancien mot de passe.
recovery-reset-last-custodian = Vous êtes la seule personne à détenir la clé de votre pays : jusqu'à ce qu'un administrateur rende l'accès, seule la clé de récupération ouvre les identités de votre pays.
recovery-reset-submit = Enregistrer le nouveau mot de passe
recovery-reset-after = Toutes vos sessions seront fermées, sur tous les appareils ; connectez-vous ensuite avec le nouveau mot de passe.
recovery-done-password-reset = Votre mot de passe a été enregistré. Connectez-vous avec celui-ci.
recovery-link-invalid-title = Ce lien n'est plus valable
recovery-link-invalid = Le lien est inconnu, déjà utilisé, remplacé par un lien plus récent ou expiré. Veuillez en demander un nouveau.
recovery-ask-again = Demander un nouveau lien
recovery-email-change-title = Adresse électronique
recovery-new-email = Nouvelle adresse électronique
recovery-email-change-submit = Changer d'adresse
recovery-email-change-hint = Un lien de confirmation est envoyé à la nouvelle adresse (il ne fonctionne qu'une fois, dans les 24 heures) ; votre adresse actuelle est informée du changement.
recovery-done-email-change-requested = Un lien de confirmation a été envoyé à la nouvelle adresse. Votre adresse changera dès que vous l'ouvrirez.
recovery-email-title = Confirmez votre nouvelle adresse électronique
# $address: the new address, in full (only its owner has the link).
recovery-email-intro = Votre compte Accord utilisera désormais { $address }.
recovery-email-submit = Confirmer cette adresse
recovery-done-email-changed = Votre adresse électronique a été modifiée : utilisez-la désormais pour vous connecter.
recovery-force-reset = Réinitialiser le mot de passe
recovery-done-password-reset-forced = Le mot de passe ne fonctionne plus, toutes les sessions ont été fermées et un lien de réinitialisation a été envoyé à la personne.
