# Évaluations de l'équité d'un procès (notes de A à F, selon TrialWatch),
# distinctes des observations des audiences.

## Confirmations après une modification.

assessments-done-assessor-appointed = La personne est désormais chargée d'évaluation : elle peut rédiger les évaluations d'équité de votre pays.
assessments-done-assessor-dismissed = La personne n'est plus chargée d'évaluation ; ce qu'elle a rédigé est conservé.
assessments-done-saved = La nouvelle version de l'évaluation a été enregistrée.
assessments-done-shared = L'évaluation est partagée avec ce pays (tant qu'il a accès au procès).
assessments-done-unshared = L'évaluation n'est plus partagée avec ce pays.

## Signification de chaque note.

assessments-grade-a = Aucune violation des normes internationales relatives au procès équitable, ou seulement des violations minimes.
assessments-grade-b = Violations des normes internationales relatives au procès équitable qui n'ont pas influé sur l'issue et n'ont pas causé de préjudice important.
assessments-grade-c = Violations des normes internationales relatives au procès équitable qui ont pu influer sur l'issue ou causer un préjudice important.
assessments-grade-d = Violations des normes internationales relatives au procès équitable qui ont influé sur l'issue ou causé un préjudice important.
assessments-grade-f = Violations graves des normes internationales relatives au procès équitable qui ont influé sur l'issue ou causé un préjudice important.

## Les normes internationales appliquées.

assessments-standard-iccpr-14 = PIDCP, article 14 (procès équitable)
assessments-standard-iccpr-9 = PIDCP, article 9 (liberté et sécurité)
assessments-standard-iccpr-7 = PIDCP, article 7 (torture et mauvais traitements)
assessments-standard-iccpr-19 = PIDCP, article 19 (liberté d'expression)
assessments-standard-udhr-10 = DUDH, article 10 (procès équitable et public)
assessments-standard-udhr-11 = DUDH, article 11 (présomption d'innocence)
assessments-standard-achpr-7 = Charte africaine, article 7 (procès équitable)
assessments-standard-achr-8 = Convention américaine, article 8 (procès équitable)
assessments-standard-echr-6 = Convention européenne, article 6 (procès équitable)
assessments-standard-arab-charter-13 = Charte arabe, article 13 (procès équitable)
assessments-standard-un-lawyers = Principes de base de l'ONU relatifs au rôle du barreau
assessments-standard-un-judiciary = Principes fondamentaux de l'ONU relatifs à l'indépendance de la magistrature
assessments-standard-un-prosecutors = Principes directeurs de l'ONU applicables au rôle des magistrats du parquet
assessments-standard-cat = Convention contre la torture
assessments-standard-other = Autres normes (citées dans le raisonnement)

## La page de l'évaluation.

assessments-title = Évaluation de l'équité, dossier { $reference }
assessments-heading = Évaluation de l'équité du procès, dossier { $reference }
assessments-back-to-case = Retour au dossier
assessments-about = Le jugement noté d'une personne experte sur l'ensemble du procès au regard des normes internationales relatives au procès équitable, distinct des observations des audiences.
assessments-about-owner = Les coordinateurs·rices, administrateurs·rices et personnes chargées d'évaluation de votre pays la voient ; un pays partenaire ne la voit que si vous la partagez avec lui et qu'il a toujours accès au procès.
assessments-about-partner = Partagée avec votre pays par le pays propriétaire du dossier.
assessments-current = Note { $grade }
assessments-version-hint = (version { $number })
assessments-standards = Normes appliquées
assessments-standards-hint = (au moins une)
assessments-cited = Observations sur lesquelles elle s'appuie
assessments-written = Rédigée
assessments-written-by = { $date }, { $country }
assessments-reasoning = Raisonnement
assessments-reasoning-hint = (rédigé pour publication : aucun nom de la personne défenseure ni d'aucune personne en danger)
assessments-publication-link = Texte pour publication
assessments-publication-hint = (uniquement avec le consentement de la personne défenseure à un plaidoyer public ; chaque export est consigné dans le journal d'audit)
assessments-earlier = Versions antérieures
assessments-version-grade = Version { $number } : note { $grade }
assessments-none = Aucune évaluation n'a encore été rédigée.
assessments-shared-with = Partagée avec
assessments-shared-none = Aucun pays partenaire.
assessments-country-code = Code du pays (par exemple NL)
assessments-share = Partager l'évaluation
assessments-unshare = Cesser le partage
assessments-write-first = Rédiger l'évaluation
assessments-write-next = Rédiger une nouvelle version
assessments-grade = Note
assessments-no-observations = Aucune observation de ce procès pour l'instant.
assessments-save = Enregistrer comme version { $number }
assessments-country = { $name } ({ $code })
assessments-cite = { $court }, { $date } : observation de { $country } ({ $outcome })
assessments-field-grade = Évaluation
assessments-field-cited = Observations citées
assessments-field-country = Pays
assessments-field-sharing = Partage
assessments-error-choose-grade = choisissez une note
assessments-error-not-observation = n'est pas une observation de ce procès

## Le texte pour publication.

assessments-publication-title = Évaluation de l'équité : texte pour publication
assessments-publication-heading = Texte pour publication
assessments-publication-back = Retour à l'évaluation
assessments-publication-about = La note, sa signification, les normes et le raisonnement, sans la référence du dossier, le pseudonyme, la personne chargée d'évaluation ni les personnes observatrices. Relisez-le encore une fois pour repérer tout ce qui pourrait identifier quelqu'un avant de le publier. Cet export a été consigné dans le journal d'audit.
assessments-publication-grade = Note d'équité du procès : { $grade }
assessments-publication-standards = Normes appliquées : { $standards }
assessments-publication-date = Évalué le { $date }.
