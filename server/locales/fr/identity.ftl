# La page de la clé d'identité du pays, la page qui montre une seule fois une
# nouvelle clé de récupération, et les demandes de révélation d'identité.

## Confirmations après une modification

identity-done-key-recovered = La clé de récupération a ouvert la clé de votre pays : vous la détenez de nouveau.
identity-done-access-granted = Cette personne détient désormais la clé d'identité de votre pays.
identity-done-access-revoked = Les copies de la clé d'identité de votre pays que détenait cette personne ont été supprimées.
identity-done-identities-resealed = Les identités ont été transférées sur la clé actuelle.

## L'état de la clé

identity-title = Clé d'identité
identity-heading = La clé d'identité de votre pays
identity-intro = Les identités des défenseur·es sont scellées avec la clé de votre pays. Seules les personnes qui la détiennent peuvent les ouvrir, et uniquement dans une session ouverte avec leur mot de passe.
identity-country = Pays
identity-key = Clé
identity-key-ready = Prête
# $when : la date et l'heure de création de la clé.
identity-key-ready-made = Prête, créée le { $when }
identity-key-claimable = En attente d'être réclamée avec le code de réclamation remis par l'opérateur·rice
identity-key-none = Aucune pour l'instant : les identités ne peuvent être ni enregistrées ni ouvertes
identity-you = Vous
# Ce que la personne connectée peut faire de la clé (le terme est « Vous »).
identity-you-unlocked = Détenez la clé ; cette session peut ouvrir les identités
identity-you-locked = Détenez la clé ; reconnectez-vous avec votre mot de passe pour la déverrouiller dans cette session
identity-you-grantable = Ne détenez pas la clé ; une personne chargée de l'administration peut vous l'accorder
identity-you-not-holder = Ne détenez pas la clé
identity-pending-term = En attente d'être scellées à nouveau
identity-pending = { $count ->
    [one] { $count } identité encore scellée avec une clé retirée
   *[other] { $count } identités encore scellées avec une clé retirée
}

## Qui détient la clé

identity-holders = Qui détient la clé
identity-holders-none = Personne.
identity-holder-you = { $name } (vous)
# Le bouton affiche « Révoquer » ; `.hidden` le suit pour les lecteurs d'écran.
identity-revoke = Révoquer
    .hidden = la copie de { $name }
identity-grant-title = Accorder la clé
identity-grant-member = Membre de votre mission
identity-grant-choose = Choisissez un membre
# Un membre dans la liste : nom et rôle.
identity-grant-choice = { $name } ({ $role })
identity-grant-submit = Accorder
identity-grant-hint = Pour accorder la clé, il vous faut votre propre copie, déverrouillée dans cette session. Une personne qui ne s'est encore jamais connectée n'a pas de clé pour la recevoir.
identity-reseal-title = Sceller à nouveau les identités
identity-reseal-about = Les identités passent à la clé actuelle à mesure qu'elles sont ouvertes ; sceller à nouveau en transfère jusqu'à 500 de plus dès maintenant.
identity-reseal-submit = Sceller à nouveau maintenant

## Demandes de révélation d'identité

identity-requests = Demandes de révélation d'identité
identity-waiting-title = En attente de la décision de votre pays
identity-waiting-none = Aucune demande en attente.
# Le lien vers le dossier.
identity-case-link = Dossier { $reference }
# $case : le lien vers le dossier ; $country : le pays demandeur ; $date : quand.
identity-waiting-row = { $case } : demande de { $country } le { $date }.
identity-asked-title = Les demandes de votre pays
identity-asked-none = Votre pays n'a demandé aucune identité.
# $case : le lien vers le dossier ; $state : où en est la demande.
identity-asked-row = { $case }, demande du { $date } : { $state }
identity-asked-row-open = { $case }, demande du { $date } : { $state } (ouverte jusqu'au { $until })

## Mettre en place, renouveler et récupérer la clé (administration)

# Affiché avant la mise en place et le renouvellement de la clé : il doit être exact.
identity-loss-warning = Si toutes les personnes qui détiennent la clé oublient leur mot de passe et que la clé de récupération est perdue, toutes les identités de votre pays sont perdues définitivement ; personne, pas même l'opérateur·rice d'Accord, ne pourra les ouvrir.
identity-setup-title = Mettre en place la clé
identity-setup-about = Vous recevez la clé dès maintenant, avec une clé de récupération affichée une seule fois : notez-la et conservez-la à l'écart de tout mot de passe.
identity-setup-acknowledge = Je comprends : si les mots de passe des personnes qui détiennent la clé et la clé de récupération sont tous perdus, les identités sont perdues définitivement
identity-claim-code = Code de réclamation
identity-claim-code-hint = (uniquement si l'opérateur·rice vous en a remis un)
identity-setup-submit = Mettre en place la clé
identity-rotate-title = Renouveler la clé
identity-rotate-about = Une nouvelle clé remplace celle-ci : chaque personne qui la détient la reçoit, une nouvelle clé de récupération est affichée une seule fois et l'ancienne cesse de fonctionner une fois les identités transférées.
identity-rotate-acknowledge = Je comprends : si les mots de passe des personnes qui détiennent la clé et la nouvelle clé de récupération sont tous perdus, les identités sont perdues définitivement
identity-rotate-submit = Renouveler la clé
identity-recover-title = Récupérer avec la clé de récupération
identity-recover-about = Quand plus aucune personne qui la détient ne peut ouvrir la clé, la clé de récupération vous la rend.
identity-recovery-key = Clé de récupération
identity-recover-submit = Récupérer la clé

## Erreurs de formulaire : les libellés sous lesquels elles s'affichent, et la case non cochée

identity-tick-the-box = Cochez la case pour confirmer que vous comprenez le risque de perte
identity-field-risk = Risque de perte
identity-field-reseal = Sceller à nouveau
identity-field-member = Membre
identity-field-holders = Détenteur·rices de la clé

## La page qui montre une nouvelle clé de récupération, une seule fois

identity-new-key-title = Clé de récupération
identity-new-key-ready = La clé d'identité de votre pays est prête
identity-new-key-replaced = La clé d'identité de votre pays a été remplacée
identity-new-key-yours = Votre clé de récupération
identity-new-key-write = Notez-la maintenant, sur papier, et conservez-la à l'écart de tout mot de passe.
identity-new-key-once = Elle n'est affichée que cette fois : Accord ne la conserve pas, et personne, pas même l'opérateur·rice, ne peut l'afficher de nouveau. Grâce à elle, une personne chargée de l'administration récupère la clé quand toutes les personnes qui la détiennent ont perdu la leur.
# « Sceller à nouveau maintenant » est le bouton de la page de la clé d'identité (identity-reseal-submit).
identity-new-key-pending = { $count ->
    [one] { $count } identité est encore scellée avec l'ancienne clé ; elle passe à la nouvelle quand elle est ouverte, ou avec « Sceller à nouveau maintenant » sur la page de la clé d'identité.
   *[other] { $count } identités sont encore scellées avec l'ancienne clé ; elles passent à la nouvelle quand elles sont ouvertes, ou avec « Sceller à nouveau maintenant » sur la page de la clé d'identité.
}
identity-new-key-all-sealed = Toutes les identités sont scellées avec la clé actuelle.
identity-new-key-back = Je l'ai notée : retour à la page de la clé d'identité
