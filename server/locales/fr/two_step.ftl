## Connexion en deux étapes : la seconde étape, l'ajout d'une application
## d'authentification, les codes de secours et la règle d'une mission.

two-step-title = Connexion en deux étapes
two-step-manage = Gérer la connexion en deux étapes
two-step-summary-on = { $count ->
    [one] La connexion en deux étapes est activée, avec une application d'authentification. Il reste { $count } code de secours.
   *[other] La connexion en deux étapes est activée, avec une application d'authentification. Il reste { $count } codes de secours.
}
two-step-summary-off = La connexion en deux étapes est désactivée : le mot de passe suffit pour vous connecter.
two-step-summary-required = La connexion en deux étapes est obligatoire pour votre compte.
two-step-required-intro = Votre mission ou la plateforme impose la connexion en deux étapes. Configurez une application d'authentification pour terminer votre connexion.
two-step-begin-submit = Configurer une application d'authentification
two-step-scan-title = Ajoutez Accord à votre application d'authentification
two-step-scan-intro = Scannez ce code QR avec votre application d'authentification, puis saisissez le code à six chiffres qu'elle affiche.
two-step-qr-label = Code QR contenant le secret destiné à votre application d'authentification
two-step-secret-intro = Si vous ne pouvez pas le scanner, saisissez plutôt ce secret dans l'application :
two-step-code = Code à six chiffres de votre application d'authentification
two-step-confirm-submit = Activer la connexion en deux étapes
two-step-codes-title = Codes de secours
two-step-codes-submit = Créer de nouveaux codes de secours
two-step-codes-hint = Vos anciens codes de secours cesseront de fonctionner.
two-step-remove-title = Désactiver la connexion en deux étapes
two-step-remove-submit = Désactiver la connexion en deux étapes
two-step-back = Retour à votre compte
two-step-codes-shown-title = Vos codes de secours
two-step-codes-write = Notez ces codes et conservez-les en lieu sûr.
two-step-codes-once = Chacun ne sert qu'une fois, si vous perdez votre application d'authentification. Ils ne sont affichés qu'une seule fois.
two-step-continue = Continuer
two-step-sign-in-title = Seconde étape de connexion
two-step-code-intro = Ouvrez votre application d'authentification et saisissez le code à six chiffres qu'elle affiche pour Accord.
two-step-recovery-intro = Saisissez l'un des codes de secours que vous avez notés. Chacun ne sert qu'une fois.
two-step-recovery-code = Code de secours
two-step-verify = Continuer
two-step-use-recovery = Utiliser plutôt un code de secours
two-step-use-app = Utiliser plutôt un code de votre application d'authentification
two-step-start-again = Recommencer
two-step-done-off = La connexion en deux étapes est désactivée.
two-step-done-mission-set = La règle de connexion en deux étapes de la mission est enregistrée.
two-step-admin-title = Connexion en deux étapes pour la mission
two-step-admin-legend = Toutes les personnes de votre mission doivent-elles se connecter en deux étapes ?
two-step-admin-on = Obligatoire : un code d'application d'authentification après le mot de passe
two-step-admin-off = Chaque personne choisit
two-step-admin-hint = Les personnes sans application d'authentification en configureront une à leur prochaine connexion.
two-step-admin-submit = Enregistrer la règle
