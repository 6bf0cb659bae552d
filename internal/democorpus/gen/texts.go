package main

// The text of the demo PDFs. Paragraphs are separated by blank lines; each
// string in a page list is drawn on its own page. Text must stay inside
// WinAnsiEncoding (pdfgen rejects anything else).

const notice = "Example document written for the peermap demo; programmes and people are invented."

const noticeFR = "Document d'exemple écrit pour la démo de peermap ; les programmes et les personnes sont inventés."

var patientPartnersEN = []string{notice + `

Patient partners in cardiovascular research: how the HeartLink network works with people who live with heart disease

Naomi Castellanos. Published: 12 April 2023.

Background

The HeartLink network brings together the research teams of four university hospitals that study heart failure. In 2019 the network decided that people living with heart disease should help decide what is studied and how. It recruited twelve patient partners, people with personal experience of heart failure or of caring for someone with it.

Recruitment and preparation

Patient partners were recruited through cardiology clinics and a national heart patients' association. The network looked for people who could speak from their own experience while thinking about other patients too, and it made a point of including rural residents and people from immigrant communities. A two-day training introduced research methods, ethics and how committees work. Patient partners are paid an honorarium for each meeting and for preparation time, and a patient engagement coordinator supports them and holds a debriefing after each project.

What patient partners do

The role is partnership, not care. Patient partners do not support individual patients. They sit on the network's steering committee with equal votes, co-design studies with researchers, review consent forms and questionnaires so that they are readable, and help interpret results. Two patient partners co-taught a course on shared decision-making to cardiology fellows, and one is a co-author of three published papers. Some hospitals call the same role patient advisor or expert patient.

A two-way relationship

Researchers and patient partners describe a reciprocal relationship: researchers learn what matters in daily life with heart failure, and patient partners learn how research works and gain confidence. Tensions remain. Some researchers still invite patient partners too late, when the study design is fixed, and meetings held during working hours exclude younger members.

Results

Since 2019 patient partners have shaped eleven studies. In one trial, they asked that fatigue and the ability to climb stairs be measured as outcomes, and these became secondary outcomes. Recruitment in the two trials with the most patient partner input was faster than planned.`}

var mediateursFR = []string{notice + `

` + noticeFR + `

Médiateurs de santé pairs et médiatrices en santé : un même nom, deux métiers

Claire Moreau-Lambert. © 2012 Cahiers inventés de la santé communautaire.

Introduction

En France, le mot médiateur désigne des métiers très différents. Ce document compare deux programmes de la région de Val-d'Orsène lancés en 2010 : des médiateurs de santé pairs dans les services de psychiatrie de l'hôpital, et des médiatrices en santé dans des quartiers où vivent des familles migrantes et des gens du voyage.

Les médiateurs de santé pairs en psychiatrie

Un médiateur de santé pair est une personne qui a vécu des troubles psychiques, qui a traversé un parcours de soins et qui s'est rétablie. Il s'appuie sur ce savoir expérientiel pour accompagner les usagers des services de psychiatrie. Les candidats sont recrutés sur leur vécu et leur distance par rapport à la maladie ; ils suivent une formation universitaire d'un an, avec des stages, et obtiennent un diplôme. Ils sont salariés de l'hôpital, à temps plein, et intégrés dans l'équipe de soins, avec les infirmiers et les psychiatres.

Au quotidien, le médiateur de santé pair écoute, partage son propre parcours, redonne de l'espoir et aide la personne à se réapproprier sa vie. Il l'aide aussi à comprendre son traitement et à préparer la sortie de l'hôpital. Il participe aux réunions cliniques, où il porte la parole des usagers.`,
	`Les médiatrices en santé dans les quartiers

Les médiatrices en santé du programme Passerelle ne sont pas recrutées pour une expérience de la maladie. Ce sont des femmes issues des communautés qu'elles servent : elles parlent le romani, l'arabe ou le tamoul, connaissent les familles et sont reconnues par elles. Elles suivent une formation de trois mois sur le système de santé, les droits sociaux et l'interprétariat, et sont salariées d'une association, avec un contrat de deux ans. Une coordinatrice assure une supervision chaque semaine.

Leur rôle est d'aller vers les familles et de faire le lien avec les institutions : elles accompagnent les personnes à l'hôpital, à la protection maternelle et infantile ou à la caisse d'assurance maladie, aident à ouvrir des droits, expliquent les démarches et font de la prévention, par exemple pour la vaccination. Elles sont un pont entre les familles et les services, et signalent aux institutions les obstacles que rencontrent les familles.

Deux métiers sous un même nom

Les deux programmes utilisent le mot médiateur, mais tout les distingue. Le médiateur de santé pair s'appuie sur son vécu de la maladie, travaille à l'hôpital et fait partie de l'équipe de soins ; son rôle est d'abord le soutien émotionnel et l'espoir. La médiatrice en santé s'appuie sur son appartenance à une communauté, travaille dans les quartiers et reste entre les familles et les institutions ; son rôle est l'accompagnement vers les services et l'accès aux droits. Ailleurs, on parlerait de health mediator ou de cultural mediator pour ce second métier.

Bilan

Après deux ans, 85 usagers ont été accompagnés par les médiateurs de santé pairs, et 420 familles par les médiatrices. Dans les deux cas, la principale difficulté est la reconnaissance du métier : ni l'un ni l'autre n'a encore de statut national.`}
