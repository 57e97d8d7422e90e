/*
 * The Welsh of the quarterly return's words (labels.h, label_welsh): the
 * row labels, column titles, table titles and notes of hub/return_tables.c
 * and return_comparison.c, the workbook's cover, contents and notes sheets
 * (return_ods_sheets.c), the report's headings, charts and captions
 * (return_html.c) and the titles of csv-metadata.json (return_csv.c).  A
 * site in Wales gets each beside its English, Welsh first.
 *
 * Keyed by the English, exactly as those files write it, so the English
 * stays written once where it is used and the Welsh once here; a category
 * label the exports share (Female, Criminal) has its Welsh in labels.c and
 * not again here.  The words follow labels.c (sail resymol, sail derfynol,
 * camfanteisio, llinellau cyffuriau) and the Welsh Government's usage for
 * the NRM (y Mecanwaith Atgyfeirio Cenedlaethol) and for statistics
 * (cymedr, canolrif, canradd, chwarter).  Note references are written
 * "[nodyn N]" in the Welsh, "[note N]" in the English; sheet names
 * (Table_1, Notes) are names, not words, and stay as they are.
 *
 * Not yet checked by a translator (formats/return-outputs.md says so).
 */
#include "labels.h"

#include <string.h>

struct phrase {
	const char *en, *cy;
};

static const struct phrase phrases[] = {
	/* ---- row labels (return_tables.c) ---- */
	{"Total", "Cyfanswm"},
	{"Child (17 or under)", "Plentyn (17 oed neu iau)"},
	{"0 to 11 (local breakdown)", "0 i 11 (dadansoddiad lleol)"},
	{"12 to 15 (local breakdown)", "12 i 15 (dadansoddiad lleol)"},
	{"16 to 17 (local breakdown)", "16 i 17 (dadansoddiad lleol)"},
	{"Devolved decision-making panel", "Panel gwneud penderfyniadau datganoledig"},
	{"Single Competent Authority", "Yr Awdurdod Cymwys Unigol"},
	{"Immigration Enforcement Competent Authority", "Awdurdod Cymwys Gorfodi Mewnfudo"},
	{"0 to 45 days", "0 i 45 diwrnod"},
	{"46 to 90 days", "46 i 90 diwrnod"},
	{"91 to 180 days", "91 i 180 diwrnod"},
	{"181 to 365 days", "181 i 365 diwrnod"},
	{"366 days or more", "366 diwrnod neu fwy"},
	{"Reasonable grounds", "Sail resymol"},
	{"Conclusive grounds", "Sail derfynol"},
	{"NRM reference", "Cyfeirnod NRM"},
	{"First responder type", "Math o ymatebydd cyntaf"},
	{"First responder organisation", "Sefydliad yr ymatebydd cyntaf"},
	{"Local authority", "Awdurdod lleol"},
	{"Police force", "Llu heddlu"},
	{"Age at exploitation", "Oedran adeg y camfanteisio"},
	{"Gender", "Rhywedd"},
	{"Nationality", "Cenedligrwydd"},
	{"Exploitation type", "Math o gamfanteisio"},
	{"County lines flag", "Dangosydd llinellau cyffuriau"},
	{"Location of exploitation", "Lleoliad y camfanteisio"},
	{"Decision maker", "Penderfynwr"},
	{"Date last updated", "Dyddiad y diweddariad diwethaf"},
	{"Referrals", "Atgyfeiriadau"},
	{"Referrals flagged as county lines", "Atgyfeiriadau a nodwyd fel llinellau cyffuriau"},
	{"Awaiting a reasonable grounds decision at the end of the quarter",
	 "Yn aros am benderfyniad sail resymol ar ddiwedd y chwarter"},
	{"Awaiting a conclusive grounds decision at the end of the quarter",
	 "Yn aros am benderfyniad sail derfynol ar ddiwedd y chwarter"},
	{"Age-disputed referrals, out of scope",
	 "Atgyfeiriadau ag oedran yn destun anghydfod, y tu allan i'r cwmpas"},

	/* ---- column titles (return_tables.c, return_comparison.c) ---- */
	{"Year", "Blwyddyn"},
	{"Quarter", "Chwarter"},
	{"Measure code", "Cod y mesur"},
	{"Measure", "Mesur"},
	{"Number", "Nifer"},
	{"Number of referrals", "Nifer yr atgyfeiriadau"},
	{"Age at exploitation code", "Cod oedran adeg y camfanteisio"},
	{"Gender code", "Cod rhywedd"},
	{"Exploitation type code", "Cod math o gamfanteisio"},
	{"Exploitation type combination code", "Cod cyfuniad o fathau o gamfanteisio"},
	{"Exploitation type combination", "Cyfuniad o fathau o gamfanteisio"},
	{"Nationality code", "Cod cenedligrwydd"},
	{"Location of exploitation code", "Cod lleoliad y camfanteisio"},
	{"First responder type code", "Cod math o ymatebydd cyntaf"},
	{"Decision maker code", "Cod y penderfynwr"},
	{"Percentage positive (of the row's positive and negative)",
	 "Canran gadarnhaol (o benderfyniadau cadarnhaol a negyddol y rhes)"},
	{"Decision stage code", "Cod cam y penderfyniad"},
	{"Decision stage", "Cam y penderfyniad"},
	{"Number of decisions", "Nifer y penderfyniadau"},
	{"Mean days from referral", "Cymedr y dyddiau o'r atgyfeiriad"},
	{"Median days from referral", "Canolrif y dyddiau o'r atgyfeiriad"},
	{"90th percentile days from referral", "90fed canradd y dyddiau o'r atgyfeiriad"},
	{"Decisions within 45 days of referral",
	 "Penderfyniadau o fewn 45 diwrnod i'r atgyfeiriad"},
	{"Days to decision code", "Cod y dyddiau i benderfyniad"},
	{"Days to decision", "Dyddiau i benderfyniad"},
	{"Reasonable grounds decisions", "Penderfyniadau sail resymol"},
	{"Conclusive grounds decisions", "Penderfyniadau sail derfynol"},
	{"Decision awaited", "Y penderfyniad a ddisgwylir"},
	{"Cases awaiting a decision", "Achosion sy'n aros am benderfyniad"},
	{"Mean age of case in days", "Cymedr oedran yr achos mewn dyddiau"},
	{"Median age of case in days", "Canolrif oedran yr achos mewn dyddiau"},
	{"Age of case code", "Cod oedran yr achos"},
	{"Age of case", "Oedran yr achos"},
	{"Awaiting reasonable grounds", "Yn aros am sail resymol"},
	{"Awaiting conclusive grounds", "Yn aros am sail derfynol"},
	{"Field code", "Cod y maes"},
	{"Field", "Maes"},
	{"Referrals with the field missing", "Atgyfeiriadau heb y maes"},
	{"Mean days from referral to reasonable grounds",
	 "Cymedr y dyddiau o'r atgyfeiriad i sail resymol"},
	{"Mean days from referral to conclusive grounds",
	 "Cymedr y dyddiau o'r atgyfeiriad i sail derfynol"},
	{"Group, decision and period code", "Cod y grŵp, y penderfyniad a'r cyfnod"},
	{"Group, decision and period", "Grŵp, penderfyniad a chyfnod"},
	{"Decisions", "Penderfyniadau"},
	{"Positive decisions", "Penderfyniadau cadarnhaol"},
	{"Percentage positive (of decisions)", "Canran gadarnhaol (o'r penderfyniadau)"},
	{"Decided within 45 days of referral", "Penderfynwyd o fewn 45 diwrnod i'r atgyfeiriad"},
	{"Percentage within 45 days (of decisions)",
	 "Canran o fewn 45 diwrnod (o'r penderfyniadau)"},

	/* ---- table titles (return_tables.c, return_comparison.c) ---- */
	{"Summary of referrals, decisions and cases awaiting a decision [note 1] [note 2]",
	 "Crynodeb o atgyfeiriadau, penderfyniadau ac achosion sy'n aros am benderfyniad "
	 "[nodyn 1] [nodyn 2]"},
	{"Referrals by age at exploitation [note 1]",
	 "Atgyfeiriadau yn ôl oedran adeg y camfanteisio [nodyn 1]"},
	{"Referrals by gender [note 1]", "Atgyfeiriadau yn ôl rhywedd [nodyn 1]"},
	{"Referrals by exploitation type [note 1] [note 3]",
	 "Atgyfeiriadau yn ôl math o gamfanteisio [nodyn 1] [nodyn 3]"},
	{"Referrals by combination of exploitation types [note 1] [note 3]",
	 "Atgyfeiriadau yn ôl cyfuniad o fathau o gamfanteisio [nodyn 1] [nodyn 3]"},
	{"Referrals by nationality [note 1] [note 4]",
	 "Atgyfeiriadau yn ôl cenedligrwydd [nodyn 1] [nodyn 4]"},
	{"Referrals by location of exploitation [note 1]",
	 "Atgyfeiriadau yn ôl lleoliad y camfanteisio [nodyn 1]"},
	{"Referrals by first responder type [note 1]",
	 "Atgyfeiriadau yn ôl math o ymatebydd cyntaf [nodyn 1]"},
	{"Reasonable grounds decisions by decision maker [note 1]",
	 "Penderfyniadau sail resymol yn ôl penderfynwr [nodyn 1]"},
	{"Conclusive grounds decisions by decision maker [note 1]",
	 "Penderfyniadau sail derfynol yn ôl penderfynwr [nodyn 1]"},
	{"Days from referral to decision [note 1] [note 5] [note 8]",
	 "Dyddiau o'r atgyfeiriad i'r penderfyniad [nodyn 1] [nodyn 5] [nodyn 8]"},
	{"Decisions by days from referral to decision [note 1] [note 5]",
	 "Penderfyniadau yn ôl y dyddiau o'r atgyfeiriad i'r penderfyniad [nodyn 1] [nodyn 5]"},
	{"Cases awaiting a decision at the end of the quarter [note 1] [note 6] [note 8]",
	 "Achosion sy'n aros am benderfyniad ar ddiwedd y chwarter [nodyn 1] [nodyn 6] "
	 "[nodyn 8]"},
	{"Cases awaiting a decision at the end of the quarter by age of case [note 1] [note 6]",
	 "Achosion sy'n aros am benderfyniad ar ddiwedd y chwarter yn ôl oedran yr achos "
	 "[nodyn 1] [nodyn 6]"},
	{"Referrals with a field missing [note 1] [note 9]",
	 "Atgyfeiriadau â maes ar goll [nodyn 1] [nodyn 9]"},
	{"Referrals, decisions and mean days to decision over the last eight quarters "
	 "[note 1] [note 5] [note 8] [note 10]",
	 "Atgyfeiriadau, penderfyniadau a chymedr y dyddiau i benderfyniad dros yr wyth "
	 "chwarter diwethaf [nodyn 1] [nodyn 5] [nodyn 8] [nodyn 10]"},
	{"The comparison at this site: its children in the pilot's scope decided by the panel, "
	 "and those decided by the Home Office, for the quarter and cumulative since %s "
	 "[note 11]",
	 "Y gymhariaeth yn y safle hwn: ei blant o fewn cwmpas y peilot y penderfynodd y panel "
	 "arnynt, a'r rhai y penderfynodd y Swyddfa Gartref arnynt, ar gyfer y chwarter ac yn "
	 "gronnol ers %s [nodyn 11]"},

	/* ---- the comparison's rows (comparison.c's groups, return_comparison.c) ---- */
	{"Pilot: in-scope children at pilot sites, decided by a devolved decision-making panel",
	 "Peilot: plant o fewn y cwmpas mewn safleoedd peilot, y penderfynodd panel gwneud "
	 "penderfyniadau datganoledig arnynt"},
	{"Home Office: in-scope children outside the pilot areas, decided by the SCA or IECA",
	 "Y Swyddfa Gartref: plant o fewn y cwmpas y tu allan i ardaloedd y peilot, y "
	 "penderfynodd yr SCA neu'r IECA arnynt"},
	{"Pilot sites, decided by the Home Office: in-scope children at pilot sites, decided by "
	 "the SCA or IECA (neither side of the comparison)",
	 "Safleoedd peilot, penderfyniad gan y Swyddfa Gartref: plant o fewn y cwmpas mewn "
	 "safleoedd peilot, y penderfynodd yr SCA neu'r IECA arnynt (nid ar y naill ochr na'r "
	 "llall i'r gymhariaeth)"},
	{"reasonable grounds", "sail resymol"},
	{"conclusive grounds", "sail derfynol"},
	{"decisions dated in the quarter", "penderfyniadau a ddyddiwyd yn y chwarter"},
	{"since %s", "ers %s"},

	/* ---- notes (return_tables.c, return_comparison.c) ---- */
	{"Figures are for one decision-making pilot site (named on the cover sheet) and one "
	 "calendar quarter, from its first to its last day inclusive. Referrals are counted by "
	 "referral date, decisions by decision date, withdrawals and transfers by the date of "
	 "that status.",
	 "Mae'r ffigurau ar gyfer un safle peilot gwneud penderfyniadau (a enwir ar y clawr) ac "
	 "un chwarter calendr, o'i ddiwrnod cyntaf i'w ddiwrnod olaf yn gynhwysol. Caiff "
	 "atgyfeiriadau eu cyfrif yn ôl dyddiad yr atgyfeiriad, penderfyniadau yn ôl dyddiad y "
	 "penderfyniad, ac achosion a dynnwyd yn ôl neu a drosglwyddwyd yn ôl dyddiad y statws "
	 "hwnnw."},
	{"Age-disputed cases are out of scope of the pilot: they are left out of every table and "
	 "counted only as out of scope in Table_1.",
	 "Mae achosion lle mae'r oedran yn destun anghydfod y tu allan i gwmpas y peilot: maent "
	 "wedi'u hepgor o bob tabl, a'u cyfrif yn Table_1 yn unig, fel rhai y tu allan i'r "
	 "cwmpas."},
	{"A child can be exploited in more than one way: a referral counts once under each "
	 "exploitation type it has, so the types can add up to more than the number of "
	 "referrals. Table_5 counts each referral once, under its combination of types. County "
	 "lines is a flag, not a type.",
	 "Gellir camfanteisio ar blentyn mewn mwy nag un ffordd: caiff atgyfeiriad ei gyfrif "
	 "unwaith o dan bob math o gamfanteisio sydd ganddo, felly gall cyfanswm y mathau fod yn "
	 "fwy na nifer yr atgyfeiriadau. Mae Table_5 yn cyfrif pob atgyfeiriad unwaith, o dan ei "
	 "gyfuniad o fathau. Dangosydd yw llinellau cyffuriau, nid math."},
	{"Each child counts once: a child with two nationalities is in one combined category "
	 "joining the two labels (as the Home Office's Polish UK), so the nationalities add up "
	 "to the number of referrals. Labels are the Home Office's nationality labels; a "
	 "nationality without one is named from ISO 3166-1.",
	 "Caiff pob plentyn ei gyfrif unwaith: mae plentyn â dau genedligrwydd mewn un categori "
	 "cyfun sy'n uno'r ddau label (fel Polish UK y Swyddfa Gartref), felly mae cyfanswm y "
	 "cenedligrwyddau yn hafal i nifer yr atgyfeiriadau. Labeli cenedligrwydd y Swyddfa "
	 "Gartref, yn Saesneg, yw'r labeli; caiff cenedligrwydd heb label ei enwi o ISO 3166-1."},
	{"Days are calendar days from the referral date to the decision date. The median of an "
	 "even number of values is the mean of the two middle ones; the 90th percentile is the "
	 "nearest-rank value (the ceil(0.9 n)-th smallest). Means are rounded to one decimal "
	 "place.",
	 "Dyddiau calendr o ddyddiad yr atgyfeiriad i ddyddiad y penderfyniad yw'r dyddiau. "
	 "Canolrif nifer eilrif o werthoedd yw cymedr y ddau werth canol; y 90fed canradd yw "
	 "gwerth y safle agosaf (y ceil(0.9 n)-fed lleiaf). Caiff cymedrau eu talgrynnu i un lle "
	 "degol."},
	{"Cases awaiting a decision on the last day of the quarter: referred on or before it, "
	 "with no decision of that stage dated on or before it, and not withdrawn or "
	 "transferred on or before it. A case awaits a conclusive grounds decision only after a "
	 "positive reasonable grounds decision. Age of case: days from the referral date to the "
	 "last day of the quarter.",
	 "Achosion sy'n aros am benderfyniad ar ddiwrnod olaf y chwarter: a atgyfeiriwyd ar y "
	 "diwrnod hwnnw neu cyn hynny, heb benderfyniad o'r cam hwnnw wedi'i ddyddio ar y "
	 "diwrnod hwnnw neu cyn hynny, ac na chawsant eu tynnu'n ôl na'u trosglwyddo ar y "
	 "diwrnod hwnnw neu cyn hynny. Dim ond ar ôl penderfyniad sail resymol cadarnhaol y mae "
	 "achos yn aros am benderfyniad sail derfynol. Oedran yr achos: dyddiau o ddyddiad yr "
	 "atgyfeiriad i ddiwrnod olaf y chwarter."},
	{"[c] confidential: small counts (1 to 4, unless the site sets a higher threshold) are "
	 "suppressed, and further cells so that no suppressed count can be worked out, or "
	 "narrowed to an interval narrower than the threshold plus one, from all the tables "
	 "taken together; statistics drawn from a suppressed count or band are suppressed too.",
	 "[c] cyfrinachol: caiff niferoedd bach (1 i 4, oni bai bod y safle'n gosod trothwy "
	 "uwch) eu hatal, a chelloedd eraill hefyd fel na ellir cyfrifo unrhyw nifer a ataliwyd, "
	 "na'i gyfyngu i gyfwng culach na'r trothwy ac un, o'r holl dablau gyda'i gilydd; caiff "
	 "ystadegau sy'n deillio o nifer neu fand a ataliwyd eu hatal hefyd."},
	{"Exact counts, for the Home Office only: this official return is not for publication. "
	 "The published version replaces counts from 1 to 4 with [c].",
	 "Niferoedd union, ar gyfer y Swyddfa Gartref yn unig: nid yw'r ffurflen swyddogol hon "
	 "i'w chyhoeddi. Mae'r fersiwn a gyhoeddir yn rhoi [c] yn lle niferoedd o 1 i 4."},
	{"[z] not applicable: a statistic of no decisions or no cases.",
	 "[z] amherthnasol: ystadegyn heb unrhyw benderfyniadau nac achosion."},
	{"Missing fields are counted over the quarter's referrals (Table_1).",
	 "Caiff meysydd coll eu cyfrif dros atgyfeiriadau'r chwarter (Table_1)."},
	{"The last eight quarters, oldest first, ending with the quarter of this return.",
	 "Yr wyth chwarter diwethaf, yr hynaf yn gyntaf, gan orffen â chwarter y ffurflen hon."},
	{"The comparison at this site. Pilot: children in the pilot's scope (17 or under and "
	 "more than 100 days from their 18th birthday at referral, age not disputed), referred "
	 "on or after the day the site joined, decided by its devolved decision-making panel. "
	 "Decided by the Home Office: the same children decided by the SCA or IECA (handed back "
	 "or kept), shown apart and in neither side. The Home Office's own group, children "
	 "outside the pilot areas, needs the Home Office's cases: it is in the national figures "
	 "only. Cumulative figures count decisions dated from the day the site joined (or 1 June "
	 "2021, the pilot's start, when that day is not configured) to the end of the quarter.",
	 "Y gymhariaeth yn y safle hwn. Peilot: plant o fewn cwmpas y peilot (17 oed neu iau a "
	 "mwy na 100 diwrnod o'u pen-blwydd yn 18 oed adeg yr atgyfeiriad, heb anghydfod "
	 "ynghylch eu hoedran), a atgyfeiriwyd ar y diwrnod yr ymunodd y safle neu wedi hynny, y "
	 "penderfynodd ei banel gwneud penderfyniadau datganoledig arnynt. Penderfyniad gan y "
	 "Swyddfa Gartref: yr un plant y penderfynodd yr SCA neu'r IECA arnynt (wedi'u "
	 "trosglwyddo'n ôl neu wedi'u cadw), a ddangosir ar wahân ac nid ar y naill ochr na'r "
	 "llall. Mae grŵp y Swyddfa Gartref ei hun, plant y tu allan i ardaloedd y peilot, yn "
	 "gofyn am achosion y Swyddfa Gartref: mae yn y ffigurau cenedlaethol yn unig. Mae "
	 "ffigurau cronnol yn cyfrif penderfyniadau a ddyddiwyd o'r diwrnod yr ymunodd y safle "
	 "(neu 1 Mehefin 2021, dechrau'r peilot, pan nad yw'r diwrnod hwnnw wedi'i osod) hyd at "
	 "ddiwedd y chwarter."},

	/* ---- the workbook (return_ods_sheets.c, return_ods_styles.c) ---- */
	{"National Referral Mechanism: devolved decision-making for child victims, quarterly "
	 "return for %s, %s",
	 "Y Mecanwaith Atgyfeirio Cenedlaethol: gwneud penderfyniadau datganoledig ar gyfer "
	 "dioddefwyr sy'n blant, ffurflen chwarterol ar gyfer %s, %s"},
	{"What this workbook contains", "Beth sydd yn y llyfr gwaith hwn"},
	{"Children referred to the National Referral Mechanism %s in one quarter, and the "
	 "reasonable grounds and conclusive grounds decisions made on them: referrals by age, "
	 "gender, nationality, type and place of exploitation and first responder; decisions by "
	 "outcome and decision maker; days to decision; cases awaiting a decision; and the "
	 "quality of the data. %zu tables, one to a worksheet.",
	 "Plant a atgyfeiriwyd i'r Mecanwaith Atgyfeirio Cenedlaethol %s mewn un chwarter, a'r "
	 "penderfyniadau sail resymol a sail derfynol a wnaed arnynt: atgyfeiriadau yn ôl "
	 "oedran, rhywedd, cenedligrwydd, math a lleoliad y camfanteisio ac ymatebydd cyntaf; "
	 "penderfyniadau yn ôl canlyniad a phenderfynwr; dyddiau i benderfyniad; achosion sy'n "
	 "aros am benderfyniad; ac ansawdd y data. %zu o dablau, un ar bob taflen waith."},
	{"at this decision-making pilot site", "yn y safle peilot gwneud penderfyniadau hwn"},
	{"Period covered", "Y cyfnod dan sylw"},
	{"%s to %s (Q%d %d, %s)", "%s i %s (Ch%d %d, %s)"},
	{"Site", "Safle"},
	{"Audience", "Cynulleidfa"},
	{"Published: small counts, and any figure that would reveal one, are suppressed as [c].",
	 "Cyhoeddedig: caiff niferoedd bach, ac unrhyw ffigur a fyddai'n datgelu un, eu hatal "
	 "fel [c]."},
	{"Official: exact counts, for the Home Office only; not for publication.",
	 "Swyddogol: niferoedd union, ar gyfer y Swyddfa Gartref yn unig; nid i'w cyhoeddi."},
	{"Data as at", "Data ar"},
	{"%s: the case records as they stood when the return was produced. Figures for recent "
	 "quarters may be revised as later decisions are recorded.",
	 "%s: y cofnodion achos fel yr oeddent pan gynhyrchwyd y ffurflen. Gall ffigurau ar "
	 "gyfer chwarteri diweddar gael eu diwygio wrth i benderfyniadau diweddarach gael eu "
	 "cofnodi."},
	{"Producer", "Cynhyrchydd"},
	{"The pilot site %s, from its case records, with nrmhub %s.",
	 "Y safle peilot %s, o'i gofnodion achos, gydag nrmhub %s."},
	{"Contact", "Cyswllt"},
	{"The data officer of the pilot site %s, who sent this return; for the national "
	 "tables, the Home Office's modern slavery statistics team.",
	 "Swyddog data'r safle peilot %s, a anfonodd y ffurflen hon; ar gyfer y tablau "
	 "cenedlaethol, tîm ystadegau caethwasiaeth fodern y Swyddfa Gartref."},
	{"Contents and notes", "Cynnwys a nodiadau"},
	{"The Table_of_contents worksheet lists every worksheet, each with a link to it. Notes "
	 "are on the Notes worksheet; a table's title refers to them as [note N].",
	 "Mae'r daflen waith Table_of_contents yn rhestru pob taflen waith, pob un â dolen iddi. "
	 "Mae'r nodiadau ar y daflen waith Notes; mae teitl tabl yn cyfeirio atynt fel "
	 "[nodyn N]."},
	{"Shorthand", "Llaw-fer"},
	{"Shorthand used in the tables:", "Llaw-fer a ddefnyddir yn y tablau:"},
	{"Shorthand used in this table:", "Llaw-fer a ddefnyddir yn y tabl hwn:"},
	{" [c] confidential: a small count or a figure that would reveal one, suppressed;",
	 " [c] cyfrinachol: nifer fach neu ffigur a fyddai'n datgelu un, wedi'i atal;"},
	{" [z] not applicable;", " [z] amherthnasol;"},
	{" [x] not available;", " [x] ddim ar gael;"},
	{"Other formats", "Fformatau eraill"},
	{"The same figures are in the CSV files (described by csv-metadata.json), in "
	 "%s.sdmx.csv and in report.html.",
	 "Mae'r un ffigurau yn y ffeiliau CSV (a ddisgrifir gan csv-metadata.json), yn "
	 "%s.sdmx.csv ac yn report.html."},
	{"Source: the case records of the pilot site %s (from the council, the police and the "
	 "Home Office), in its quarterly return for %s.",
	 "Ffynhonnell: cofnodion achos y safle peilot %s (gan y cyngor, yr heddlu a'r Swyddfa "
	 "Gartref), yn ei ffurflen chwarterol ar gyfer %s."},
	{"Table of contents", "Tabl cynnwys"},
	{"This worksheet contains one table. Each sheet name is a link to its worksheet.",
	 "Mae'r daflen waith hon yn cynnwys un tabl. Mae enw pob taflen yn ddolen i'w thaflen "
	 "waith."},
	{"Sheet name", "Enw'r daflen"},
	{"Sheet title", "Teitl y daflen"},
	{"Notes used in the tables", "Nodiadau a ddefnyddir yn y tablau"},
	{"Notes", "Nodiadau"},
	{"This worksheet contains one table. The tables refer to these notes in their titles, "
	 "as [note N].",
	 "Mae'r daflen waith hon yn cynnwys un tabl. Mae'r tablau'n cyfeirio at y nodiadau hyn "
	 "yn eu teitlau, fel [nodyn N]."},
	{"Note number", "Rhif y nodyn"},
	{"Note text", "Testun y nodyn"},
	{"[note %d]", "[nodyn %d]"},
	{"This worksheet contains one table.", "Mae'r daflen waith hon yn cynnwys un tabl."},
	{"The title refers to notes, which are on the Notes worksheet.",
	 "Mae'r teitl yn cyfeirio at nodiadau, sydd ar y daflen waith Notes."},
	{"%s at %02d:%02d UTC", "%s am %02d:%02d UTC"},
	{"January", "Ionawr"}, {"February", "Chwefror"}, {"March", "Mawrth"},
	{"April", "Ebrill"}, {"May", "Mai"}, {"June", "Mehefin"},
	{"July", "Gorffennaf"}, {"August", "Awst"}, {"September", "Medi"},
	{"October", "Hydref"}, {"November", "Tachwedd"}, {"December", "Rhagfyr"},
	{"NRM devolved decision-making quarterly return: %s, %s",
	 "Ffurflen chwarterol gwneud penderfyniadau datganoledig yr NRM: %s, %s"},

	/* ---- csv-metadata.json (return_csv.c) ---- */
	{"NRM devolved decision-making quarterly return: %s, %s (%s)",
	 "Ffurflen chwarterol gwneud penderfyniadau datganoledig yr NRM: %s, %s (%s)"},
	{"official", "swyddogol"},
	{"published", "cyhoeddedig"},
	{"Every figure of the tables as SDMX-CSV %s, one row per observation of the dataflow "
	 "%s (structure: schemas/nrmhub-sdmx.xml)",
	 "Pob ffigur yn y tablau fel SDMX-CSV %s, un rhes ar gyfer pob arsylwad o'r llif data "
	 "%s (strwythur: schemas/nrmhub-sdmx.xml)"},
	{"Record-level extract: one row per case in the quarter's tables, under a keyed "
	 "pseudonym (official audience only)",
	 "Detholiad ar lefel cofnod: un rhes ar gyfer pob achos yn nhablau'r chwarter, o dan "
	 "ffugenw ag allwedd (y gynulleidfa swyddogol yn unig)"},

	/* ---- the report (return_html.c) ---- */
	{"NRM devolved decision-making: quarterly return, %s, %s",
	 "Gwneud penderfyniadau datganoledig yr NRM: ffurflen chwarterol, %s, %s"},
	{"National Referral Mechanism: devolved decision-making for child victims",
	 "Y Mecanwaith Atgyfeirio Cenedlaethol: gwneud penderfyniadau datganoledig ar gyfer "
	 "dioddefwyr sy'n blant"},
	{"Quarterly return of a pilot site.", "Ffurflen chwarterol safle peilot."},
	{"From", "O"},
	{"To", "I"},
	{"Produced", "Cynhyrchwyd"},
	{"By", "Gan"},
	{"Official: exact counts for the Home Office, not for publication.",
	 "Swyddogol: niferoedd union ar gyfer y Swyddfa Gartref, nid i'w cyhoeddi."},
	{"Counts from 1 to 4 are shown as [c] (suppressed), with further cells suppressed so "
	 "that none can be worked out from totals.",
	 "Dangosir niferoedd o 1 i 4 fel [c] (wedi'u hatal), gyda chelloedd eraill wedi'u hatal "
	 "hefyd fel na ellir cyfrifo'r un ohonynt o gyfansymiau."},
	{"Summary", "Crynodeb"},
	{"Days from referral to decision", "Dyddiau o'r atgyfeiriad i'r penderfyniad"},
	{"Cases awaiting a decision at the end of the quarter",
	 "Achosion sy'n aros am benderfyniad ar ddiwedd y chwarter"},
	{"Age of case (days since referral)", "Oedran yr achos (dyddiau ers yr atgyfeiriad)"},
	{"Number of cases", "Nifer yr achosion"},
	{"Referrals by exploitation type", "Atgyfeiriadau yn ôl math o gamfanteisio"},
	{"Referrals, decisions and mean days to decision, last eight quarters",
	 /* short enough for the chart's width, as the English is */
	 "Atgyfeiriadau, penderfyniadau a chymedr y dyddiau, wyth chwarter olaf"},
	{"Mean days to reasonable grounds", "Cymedr y dyddiau i sail resymol"},
	{"Mean days to conclusive grounds", "Cymedr y dyddiau i sail derfynol"},
	{"Mean days", "Cymedr y dyddiau"},
	{"The last eight quarters", "Yr wyth chwarter diwethaf"},
	{"All other tables", "Yr holl dablau eraill"},
	{"Decisions made in the quarter, by calendar days from referral.",
	 "Penderfyniadau a wnaed yn y chwarter, yn ôl dyddiau calendr o'r atgyfeiriad."},
	{"Cases open on the last day of the quarter, by age of case.",
	 "Achosion a oedd ar agor ar ddiwrnod olaf y chwarter, yn ôl oedran yr achos."},
	{"A referral counts once under each type it has, so the bars can add up to more than "
	 "the number of referrals.",
	 "Caiff atgyfeiriad ei gyfrif unwaith o dan bob math sydd ganddo, felly gall cyfanswm y "
	 "barrau fod yn fwy na nifer yr atgyfeiriadau."},
	{"Upper panel: referrals and decisions in each quarter. Lower panel: mean calendar days "
	 "from referral to each decision.",
	 "Panel uchaf: atgyfeiriadau a phenderfyniadau ym mhob chwarter. Panel isaf: cymedr y "
	 "dyddiau calendr o'r atgyfeiriad i bob penderfyniad."},
	{"none this quarter.", "dim un y chwarter hwn."},
	{"suppressed [c]", "wedi'i atal [c]"},
	{"not applicable [z]", "amherthnasol [z]"},
	{"not available [x]", "ddim ar gael [x]"},
	{"Shorthand: [c] confidential (suppressed), [z] not applicable.",
	 "Llaw-fer: [c] cyfrinachol (wedi'i atal), [z] amherthnasol."},
	/* [p] and [r], and what a revised return says of its revisions
	 * (hub/return_marks.h). */
	{"[p] provisional, [r] revised.", "[p] dros dro, [r] diwygiedig."},
	{"What changed and why", "Beth a newidiodd a pham"},
	{"The Status column shows each row's shorthand: [p] provisional, [r] revised.",
	 "Mae'r golofn Statws yn dangos llaw-fer pob rhes: [p] dros dro, [r] diwygiedig."},
	{"Status", "Statws"},
	{"Table", "Tabl"},
	{"Row code", "Cod y rhes"},
	{"Row", "Rhes"},
	{"Column", "Colofn"},
	{"Change", "Newid"},
	{"Previously sent", "Anfonwyd o'r blaen"},
	{"Now", "Nawr"},
	{"Difference", "Gwahaniaeth"},
	{"Compared with", "O'i gymharu â"},
	/* The series (return_series_tables.c, return_html.c). */
	{"Referrals, decisions and days to decision, and cases awaiting a decision, each "
	 "quarter since the pilot began or the site joined [note 1] [note 5] [note 6] [note "
	 "8] [note 12]",
	 "Atgyfeiriadau, penderfyniadau a dyddiau i benderfyniad, ac achosion sy'n aros am "
	 "benderfyniad, bob chwarter ers i'r cynllun peilot ddechrau neu i'r safle ymuno "
	 "[nodyn 1] [nodyn 5] [nodyn 6] [nodyn 8] [nodyn 12]"},
	{"Change in the headline figures on the previous quarter and on the same quarter a "
	 "year earlier [note 1] [note 12] [note 13]",
	 "Newid yn y prif ffigurau ers y chwarter blaenorol ac ers yr un chwarter flwyddyn "
	 "ynghynt [nodyn 1] [nodyn 12] [nodyn 13]"},
	{"Each quarter from the pilot's start (2021 Q2) or the quarter the site joined, "
	 "whichever is later, to the quarter of this return, oldest first; each quarter's "
	 "figures as that quarter's own return counts them (referrals by referral date, "
	 "decisions by decision date, cases awaiting a decision on its last day).",
	 "Pob chwarter o ddechrau'r cynllun peilot (2021 Ch2) neu'r chwarter yr ymunodd y "
	 "safle, pa un bynnag sydd hwyraf, hyd at chwarter y ffurflen hon, yr hynaf yn "
	 "gyntaf; ffigurau pob chwarter fel y mae ffurflen y chwarter hwnnw ei hun yn eu "
	 "cyfrif (atgyfeiriadau yn ôl dyddiad yr atgyfeiriad, penderfyniadau yn ôl dyddiad y "
	 "penderfyniad, achosion sy'n aros am benderfyniad ar ei ddiwrnod olaf)."},
	{"Change: this quarter's figure less that of the previous quarter, or of the same "
	 "quarter a year earlier; percent change: that difference as a percentage of the "
	 "earlier figure, to one decimal place. [x] where the earlier quarter is not in the "
	 "series, [z] for the percent change of an earlier figure of 0, [c] where either "
	 "figure is suppressed.",
	 "Newid: ffigur y chwarter hwn llai ffigur y chwarter blaenorol, neu ffigur yr un "
	 "chwarter flwyddyn ynghynt; newid canrannol: y gwahaniaeth hwnnw fel canran o'r "
	 "ffigur cynharaf, i un lle degol. [x] lle nad yw'r chwarter cynharaf yn y gyfres, "
	 "[z] ar gyfer newid canrannol ffigur cynharaf o 0, [c] lle mae'r naill ffigur neu'r "
	 "llall wedi'i atal."},
	/* "Positive reasonable grounds" and "Positive conclusive grounds" are
	 * category labels: their Welsh is labels.c's. */
	{"Reasonable grounds: percentage positive",
	 "Sail resymol: canran gadarnhaol"},
	{"Conclusive grounds: percentage positive",
	 "Sail derfynol: canran gadarnhaol"},
	{"Median days from referral to reasonable grounds",
	 "Canolrif y dyddiau o'r atgyfeiriad i sail resymol"},
	{"Median days from referral to conclusive grounds",
	 "Canolrif y dyddiau o'r atgyfeiriad i sail derfynol"},
	{"Awaiting reasonable grounds at quarter end",
	 "Yn aros am sail resymol ar ddiwedd y chwarter"},
	{"Awaiting conclusive grounds at quarter end",
	 "Yn aros am sail derfynol ar ddiwedd y chwarter"},
	{"Referrals, decisions and mean days to decision, each quarter",
	 "Atgyfeiriadau, penderfyniadau a chymedr y dyddiau, bob chwarter"},
	{"Each quarter since the pilot began",
	 "Pob chwarter ers i'r cynllun peilot ddechrau"},
	{"Referrals: change on the previous quarter",
	 "Atgyfeiriadau: newid ers y chwarter blaenorol"},
	{"Referrals: percent change on the previous quarter",
	 "Atgyfeiriadau: newid canrannol ers y chwarter blaenorol"},
	{"Referrals: change on the same quarter a year earlier",
	 "Atgyfeiriadau: newid ers yr un chwarter flwyddyn ynghynt"},
	{"Referrals: percent change on the same quarter a year earlier",
	 "Atgyfeiriadau: newid canrannol ers yr un chwarter flwyddyn ynghynt"},
	{"Reasonable grounds decisions: change on the previous quarter",
	 "Penderfyniadau sail resymol: newid ers y chwarter blaenorol"},
	{"Reasonable grounds decisions: percent change on the previous quarter",
	 "Penderfyniadau sail resymol: newid canrannol ers y chwarter blaenorol"},
	{"Reasonable grounds decisions: change on the same quarter a year earlier",
	 "Penderfyniadau sail resymol: newid ers yr un chwarter flwyddyn ynghynt"},
	{"Reasonable grounds decisions: percent change on the same quarter a year earlier",
	 "Penderfyniadau sail resymol: newid canrannol ers yr un chwarter flwyddyn ynghynt"},
	{"Conclusive grounds decisions: change on the previous quarter",
	 "Penderfyniadau sail derfynol: newid ers y chwarter blaenorol"},
	{"Conclusive grounds decisions: percent change on the previous quarter",
	 "Penderfyniadau sail derfynol: newid canrannol ers y chwarter blaenorol"},
	{"Conclusive grounds decisions: change on the same quarter a year earlier",
	 "Penderfyniadau sail derfynol: newid ers yr un chwarter flwyddyn ynghynt"},
	{"Conclusive grounds decisions: percent change on the same quarter a year earlier",
	 "Penderfyniadau sail derfynol: newid canrannol ers yr un chwarter flwyddyn ynghynt"},
	{"Awaiting reasonable grounds: change on the previous quarter",
	 "Yn aros am sail resymol: newid ers y chwarter blaenorol"},
	{"Awaiting reasonable grounds: percent change on the previous quarter",
	 "Yn aros am sail resymol: newid canrannol ers y chwarter blaenorol"},
	{"Awaiting reasonable grounds: change on the same quarter a year earlier",
	 "Yn aros am sail resymol: newid ers yr un chwarter flwyddyn ynghynt"},
	{"Awaiting reasonable grounds: percent change on the same quarter a year earlier",
	 "Yn aros am sail resymol: newid canrannol ers yr un chwarter flwyddyn ynghynt"},
	{"Awaiting conclusive grounds: change on the previous quarter",
	 "Yn aros am sail derfynol: newid ers y chwarter blaenorol"},
	{"Awaiting conclusive grounds: percent change on the previous quarter",
	 "Yn aros am sail derfynol: newid canrannol ers y chwarter blaenorol"},
	{"Awaiting conclusive grounds: change on the same quarter a year earlier",
	 "Yn aros am sail derfynol: newid ers yr un chwarter flwyddyn ynghynt"},
	{"Awaiting conclusive grounds: percent change on the same quarter a year earlier",
	 "Yn aros am sail derfynol: newid canrannol ers yr un chwarter flwyddyn ynghynt"},
};
#define N_PHRASES (sizeof(phrases) / sizeof(phrases[0]))

const char *label_welsh(const char *english)
{
	for (size_t i = 0; i < N_PHRASES; i++)
		if (strcmp(phrases[i].en, english) == 0)
			return phrases[i].cy;
	return label_category_welsh(english);
}

const char *label_welsh_pair(size_t i, const char **cy)
{
	if (i >= N_PHRASES)
		return NULL;
	*cy = phrases[i].cy;
	return phrases[i].en;
}
