# Connexion, page d'accueil, compte personnel.

home-title = Accueil
home-welcome = Bienvenue, { $name }
message-code = Code :

sign-in-title = Se connecter
sign-in-email = Adresse e-mail
sign-in-password = Mot de passe
sign-in-email-missing = Saisissez votre adresse e-mail
sign-in-password-missing = Saisissez votre mot de passe
sign-in-email-or-password = Adresse e-mail ou mot de passe
sign-in-wrong = L'adresse e-mail ou le mot de passe est incorrect

account-title = Votre compte
account-password-title = Changer de mot de passe
account-current-password = Mot de passe actuel
account-new-password = Nouveau mot de passe
account-new-password-hint = (au moins { $min } caractères ; une longue phrase est préférable)
account-password-submit = Changer le mot de passe
account-password-after = Vos autres sessions prennent fin quand le mot de passe change ; celle-ci reste ouverte.
account-done-password = Votre mot de passe a été changé. Vos autres sessions ont pris fin.
account-done-session-ended = Cette session a pris fin.
account-done-digest = Votre réglage du récapitulatif de couverture a été enregistré.
account-done-preferences = Votre langue et votre fuseau horaire ont été enregistrés.

account-reading-title = Langue et fuseau horaire
account-language = Langue
account-language-browser = La langue de mon navigateur
account-language-hint = Les pages et les e-mails qu'Accord vous envoie sont rédigés dans cette langue.
account-language-wrong = Choisissez l'une des langues de la liste
account-zone = Votre fuseau horaire
account-zone-mission = Le fuseau horaire de ma mission
account-zone-hint = L'heure d'une audience est toujours indiquée dans le fuseau horaire du tribunal ; la vôtre figure à côté lorsqu'elle diffère.
account-zone-wrong = Choisissez un fuseau horaire dans la liste
account-save = Enregistrer

account-digest-title = Récapitulatif de couverture
account-digest-day-label = M'envoyer par e-mail les prochaines audiences sans observateurs le
account-digest-day = Jour du récapitulatif
account-digest-day-wrong = choisissez un jour de la semaine, ou désactivez-le
account-digest-hint = À partir de 07:00 dans le fuseau horaire de votre mission : combien d'audiences des { $days } prochains jours que vous pouvez consulter manquent d'observateurs, avec des liens. Il ne nomme jamais un dossier ni un·e défenseur·e.
account-digest-mondays = lundi
account-digest-tuesdays = mardi
account-digest-wednesdays = mercredi
account-digest-thursdays = jeudi
account-digest-fridays = vendredi
account-digest-saturdays = samedi
account-digest-sundays = dimanche
account-digest-off = Jamais (désactivé)

account-sessions-title = Où vous êtes connecté·e
account-sessions-region = Sessions ouvertes
account-sessions-caption = Sessions ouvertes, les plus récentes d'abord
account-sessions-opened = Ouverte
account-sessions-how = Comment
account-sessions-until = Jusqu'au
account-sessions-action = Action
account-sessions-this = (cette session)
account-sessions-end = Terminer
account-sessions-end-which = la session ouverte le { $opened }
account-session-web = Web
account-session-web-on = Web : { $browser }
account-session-api = Jeton d'API
account-sessions-method = Connexion par
account-session-method-password = Mot de passe
account-session-method-password-totp = Mot de passe et code d'authentification
account-session-method-password-recovery-code = Mot de passe et code de secours
account-session-method-password-security-key = Mot de passe et clé de sécurité
account-session-method-sso = Authentification unique de votre ministère
account-sign-out-everywhere = Se déconnecter partout
account-sign-out-everywhere-hint = Met fin à toutes les sessions ci-dessus, y compris celle-ci.
account-language-unknown = doit être l'une des langues d'Accord : { $languages }
account-session-browser-on = { $browser } sous { $system }
account-session-headless = { $browser } (sans interface)
account-session-unknown-browser = Un navigateur
