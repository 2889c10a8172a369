# Courriels. Texte brut : aucun balisage. Chaque message est une ligne entière
# du courriel ; `.subject` est l'objet, `.opening` le premier paragraphe.
# La marque « Accord » ne se traduit pas.

mail-greeting = Bonjour,
mail-sign-off = -- Accord
mail-details-link = Détails (après connexion) : { $link }
mail-withheld-case = Ce message ne contient délibérément aucun détail sur le dossier.
mail-withheld-report = Ce message ne contient délibérément aucun détail sur le signalement.
mail-withheld-statement = Ce message ne contient délibérément pas le texte de la déclaration.

## Ce qu'un courriel dit d'une audience : jamais le dossier.

mail-court = Tribunal : { $court }
mail-city = Ville :    { $city }
mail-start = Début :    { $start }
mail-start-postponed = Début :    { $start } (reportée)
mail-start-cancelled = Début :    { $start } (annulée)

## Avis sur les audiences.

mail-reminder =
    .subject = Accord : rappel d'observation de procès ({ $hours } h)
    .opening = Votre place d'observation est confirmée pour cette audience, qui commence bientôt.
mail-promoted =
    .subject = Accord : votre place est confirmée sur une liste d'observation
    .opening = Une place s'est libérée : vous passez de la liste d'attente à une place confirmée sur la liste d'observation de cette audience.
mail-demoted =
    .subject = Accord : retour sur la liste d'attente
    .opening = Cette audience demande moins d'observateurs et observatrices : votre place confirmée repasse sur la liste d'attente. Vous serez prévenu·e si une place se libère.
mail-rescheduled =
    .subject = Accord : audience déplacée
    .opening = Une audience pour laquelle vous êtes sur la liste d'observation a une nouvelle heure de début.
mail-postponed =
    .subject = Accord : audience reportée
    .opening = Une audience pour laquelle vous êtes sur la liste d'observation a été reportée ; aucune nouvelle date n'est encore fixée.
mail-cancelled =
    .subject = Accord : audience annulée
    .opening = Une audience pour laquelle vous êtes sur la liste d'observation a été annulée ; votre place sur cette liste est caduque.

## Céder une place de la liste d'observation à une personne de votre mission.

mail-offered =
    .subject = Accord : une personne de votre mission vous cède sa place
    .opening = Une personne de votre mission vous propose sa place sur la liste d'observation de cette audience. Connectez-vous pour l'accepter ou la refuser avant la date limite d'inscription.
mail-offer-taken =
    .subject = Accord : vous avez repris une place d'observation
    .opening = Vous avez accepté une cession : la place de cette audience est désormais la vôtre, au rang qu'elle occupait sur la liste.
mail-offer-given =
    .subject = Accord : votre place d'observation a été reprise
    .opening = La personne à qui vous l'aviez proposée a accepté : votre place sur la liste d'observation de cette audience est désormais la sienne, et vous ne l'occupez plus.
mail-offer-declined =
    .subject = Accord : votre proposition de place a été refusée
    .opening = La personne à qui vous aviez proposé votre place l'a refusée ; vous conservez la place.
mail-offer-expired =
    .subject = Accord : votre proposition de place a expiré
    .opening = Personne n'a repris votre place avant la date limite d'inscription ; vous la conservez.
mail-offer-cancelled =
    .subject = Accord : votre proposition de place a été annulée
    .opening = Votre proposition de place pour cette audience a été annulée : la place ne peut plus être cédée comme proposé.

## Signalements d'attaque : qu'un signalement attend, jamais ce qu'il dit.

mail-report-received =
    .subject = Accord : un nouveau signalement d'attaque demande votre attention
    .opening = Un signalement d'attaque a été adressé à votre pays. Veuillez vous connecter pour le traiter.
mail-report-unacknowledged =
    .subject = Accord : un signalement d'attaque attend toujours votre pays
    .opening = Un signalement d'attaque adressé à votre pays n'a pas encore été pris en compte. Veuillez vous connecter pour le traiter.
mail-report-responded =
    .subject = Accord : un pays a répondu à votre signalement
    .opening = Un pays a mis à jour sa réponse à un signalement d'attaque soumis par votre organisation. Veuillez vous connecter pour la lire.

## Déclarations conjointes : ce qui est demandé, jamais le titre ni le texte.

mail-statement-invited =
    .subject = Accord : votre pays est invité à signer une déclaration conjointe
    .opening = Votre pays a été invité à examiner et à signer une déclaration conjointe ou une démarche.
mail-statement-stale =
    .subject = Accord : une déclaration que vous avez approuvée a changé
    .opening = Une déclaration conjointe approuvée par votre pays a une nouvelle version ({ $version }) ; votre approbation ne compte plus tant que vous n'avez pas approuvé le nouveau texte.
mail-statement-deadline =
    .subject = Accord : la date limite de signature d'une déclaration approche
    .opening = Votre pays n'a pas encore répondu au texte actuel d'une déclaration conjointe. La date limite de signature est le { $deadline }.
mail-statement-finalized =
    .subject = Accord : une déclaration conjointe a été finalisée
    .opening = Une déclaration conjointe à laquelle votre pays a participé a été finalisée ; connectez-vous pour voir le texte final et ses signataires.
mail-time-and-utc = { $local } ; { $utc }

## Demandes de lever l'anonymat d'une personne défenseure.

mail-reveal-requested =
    .subject = Accord : un pays partenaire demande à voir une identité
    .opening = Un pays partenaire demande à voir l'identité d'une personne défenseure dans l'un des dossiers de votre pays. Une personne gardienne de la clé de votre pays décide ; veuillez vous connecter.
mail-reveal-decided =
    .subject = Accord : votre demande d'identité a reçu une réponse
    .opening = Le pays propriétaire d'un dossier a répondu à la demande de votre pays de voir l'identité d'une personne défenseure. Veuillez vous connecter pour lire la décision.

## Le récapitulatif hebdomadaire de la couverture : des nombres et des liens.

mail-digest-covered =
    .subject = Accord : toutes les audiences à venir que vous voyez ont leurs observateurs et observatrices
    .opening = Dans les { $days } prochains jours, aucune audience que vous pouvez voir ne manque d'observation.
mail-digest-subject = { $total ->
    [one] Accord : { $total } audience à venir manque d'observation
   *[other] Accord : { $total } audiences à venir manquent d'observation
}
mail-digest-opening = { $total ->
    [one] Dans les { $days } prochains jours, { $total } audience que vous pouvez voir manque d'observation. Parmi celles listées ci-dessous : places d'observation libres, { $open } ; audiences encore sans aucune observation, { $none }.
   *[other] Dans les { $days } prochains jours, { $total } audiences que vous pouvez voir manquent d'observation. Parmi celles listées ci-dessous : places d'observation libres, { $open } ; audiences encore sans aucune observation, { $none }.
}
mail-digest-line = - { $confirmed } sur { $needed } places d'observation confirmées : { $link }
mail-digest-more = - et { $count } de plus
mail-digest-overview = Vue d'ensemble de la couverture (après connexion) : { $link }

## À propos de la connexion du destinataire.

mail-recovery-code-used =
    .subject = Accord : un code de secours a servi à vous connecter
    .opening = Quelqu'un s'est connecté à votre compte Accord avec l'un de vos codes de secours. Ce code ne fonctionne plus.
mail-totp-removed =
    .subject = Accord : la connexion en deux étapes a été désactivée sur votre compte
    .opening = La connexion en deux étapes avec une application d'authentification a été désactivée sur votre compte Accord, et ses codes de secours ne fonctionnent plus.
mail-security-when = Quand : { $when }
mail-security-not-you = Si ce n'était pas vous, changez immédiatement votre mot de passe, déconnectez-vous partout et prévenez l'administration de votre mission.
