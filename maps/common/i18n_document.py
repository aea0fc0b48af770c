# ruff: noqa: E501 - label texts are sentences; they wrap where the reader reads them, not here
"""The master plan document's labels (:mod:`maps.document`): ``doc_<key>``, merged into
:data:`maps.common.i18n.LABELS`. Indonesian is written for a Bappeda team (the guide's words: suprastruktur,
struktur, infrastruktur; OPD; kecamatan); the English mirrors it. The Indonesian body uses no English
word except the guide's own terms (the dimensions' names "Smart Governance" ..., SWOT, TOWS, quick win);
a test reads the printed document against the English labels' words.
"""

from __future__ import annotations

DOCUMENT_LABELS: dict[str, dict[str, str]] = {
    "id": {
        "doc_title": "Analisis Spasial Masterplan Smart City",
        "doc_subtitle": "Bahan penyusunan masterplan: profil dan kesiapan daerah, SWOT dan strategi per "
        "dimensi, kawasan prioritas",
        "doc_draft_mark": "DRAF KERJA. Bagian berbingkai kuning wajib dilengkapi tim penyusun sebelum "
        "dokumen diserahkan.",
        "doc_date": "Disusun",
        "doc_run": "Kode proses penilaian",
        "doc_model": "Model penilaian",
        "doc_page": "Halaman {page}",
        "doc_toc": "Daftar Isi",
        "doc_list_tables": "Daftar Tabel",
        "doc_list_figures": "Daftar Gambar",
        "doc_list_placeholders": "Bagian yang Dilengkapi Tim",
        "doc_placeholders_text": "Bagian berikut tidak dapat ditulis dari data kertas kerja. Setiap bagian "
        "ditandai bingkai kuning dan memuat petunjuk isinya.",
        "doc_table": "Tabel",
        "doc_figure": "Gambar",
        "doc_to_write": "DILENGKAPI TIM",
        "doc_none": "Tidak ada.",
        "doc_more": "… dan {n} lainnya (lihat lampiran isu)",
        "doc_more_places": "dan {n} tempat lain",
        "doc_issue_count": "Jumlah isu",
        "doc_quick_others": "Perangkat daerah lain tidak melaporkan kelemahan yang memenuhi kedua syarat ini.",
        "doc_readiness_none": "{dimension}: belum ada isu yang menyebut aspek kesiapan ({n} isu tanpa aspek).",
        "doc_districts_all_caption": "Peringkat prioritas kecamatan",
        "doc_total": "Jumlah",
        "doc_urgency": "urgensi",
        "doc_regency": "Seluruh kabupaten",
        "doc_district_short": "Kec.",
        "doc_text": "Uraian",
        "doc_swot_column": "SWOT",
        "doc_readiness_column": "Aspek kesiapan",
        "doc_other_dimension": "Dimensi lain",
        # 1 Pendahuluan
        "doc_intro": "Pendahuluan",
        "doc_ph_background": "Latar Belakang",
        "doc_ph_background_guide": "Uraikan mengapa daerah menyusun masterplan smart city: kedudukan "
        "sebagai daerah penyangga Ibu Kota Nusantara, program Gerakan Menuju Smart City, isu pembangunan "
        "daerah, dan harapan pimpinan daerah.",
        "doc_ph_legal": "Landasan Hukum",
        "doc_ph_legal_guide": "Daftarkan peraturan yang menjadi dasar, dari yang tertinggi: misalnya "
        "UU No. 23 Tahun 2014 tentang Pemerintahan Daerah, UU No. 3 Tahun 2022 tentang Ibu Kota Negara sebagaimana diubah dengan UU No. 21 Tahun 2023, "
        "Perpres No. 95 Tahun 2018 tentang Sistem Pemerintahan Berbasis Elektronik, Perda RPJMD dan RTRW "
        "daerah, serta keputusan kepala daerah tentang tim pelaksana smart city.",
        "doc_ph_aims": "Maksud, Tujuan dan Sasaran",
        "doc_ph_aims_guide": "Tuliskan maksud penyusunan, tujuan yang ingin dicapai dalam lima tahun, dan "
        "sasaran yang terukur (misalnya jumlah layanan daring, cakupan jaringan desa).",
        "doc_summary": "Ringkasan Hasil Analisis",
        "doc_received_text": "{agencies} perangkat daerah mengirim {worksheets} kertas kerja dengan {rows} "
        "baris; {rejected} baris ditolak karena tidak dapat dibaca atau ditempatkan. {issues} isu "
        "ditempatkan di desa/kelurahan atau kecamatan dan dinilai.",
        "doc_roster_text": "{missing} dari {total} perangkat daerah dalam daftar belum mengirim: {names}.",
        "doc_top_text": "Lima desa/kelurahan dengan skor prioritas tertinggi: {names}.",
        "doc_dominant": "Masalah yang paling sering dilaporkan per dimensi",
        "doc_no_problem": "tidak ada masalah yang dilaporkan",
        "doc_method": "Metodologi",
        "doc_inputs": "Data dan sumbernya",
        "doc_placement": "Penempatan isu",
        "doc_placement_text": "Setiap baris ditempatkan dengan kode wilayah, koordinat, nama desa, atau di "
        "kecamatannya bila hanya kecamatan yang diketahui. Baris yang tempatnya meragukan ditolak, tidak "
        "ditebak: {placed}.",
        "doc_model_title": "Model penilaian",
        "doc_classes_jenks": "pemisahan alami (Jenks)",
        "doc_classes_quantile": "kuantil",
        "doc_classes_equal": "interval sama",
        "doc_model_text": "Skor desa = 100 × Σ (bobot × nilai ternormalisasi 0–1); komponen skor setiap "
        "desa dijumlahkan tepat menjadi skornya. Kelas prioritas: {method}, {count} kelas.",
        "doc_weights_caption": "Bobot kriteria penilaian desa",
        "doc_ahp": "Rasio konsistensi AHP (CR): {cr}.",
        "doc_hotspots_title": "Titik panas",
        "doc_hotspots_text": "Statistik Getis-Ord Gi* pada skor desa (ketetanggaan yang bersinggungan, "
        "{permutations} permutasi acak, koreksi uji berganda dengan tingkat penemuan palsu {alpha}).",
        "doc_robust_title": "Kepastian peringkat",
        "doc_robust_text": "Bobot kriteria diubah acak {draws} kali (sebaran {spread}); p(top) adalah "
        "peluang desa tetap di {top_n} besar, dengan rentang peringkat persentil 5–95.",
        "doc_caveats": "Catatan dan keterbatasan",
        "doc_caveat_ikn": "Batas IKN yang dipakai adalah batas perkiraan, bukan batas resmi.",
        "doc_caveat_dropped": "Kriteria tanpa data yang tidak dihitung: {names}.",
        "doc_caveat_text": "Isu yang tidak dapat ditempatkan dan baris yang ditolak tidak masuk skor; "
        "keduanya tercatat dengan alasannya di umpan balik setiap perangkat daerah.",
        # 2 Analisis strategis
        "doc_strategic": "Analisis Strategis",
        "doc_profile": "Profil Daerah",
        "doc_profile_missing": "Data wilayah belum dimuat untuk daerah ini; muat batas desa dan kecamatan "
        "agar profil dapat ditulis.",
        "doc_profile_text": "{name} memiliki luas {area} km², terbagi atas {districts} kecamatan, {desa} desa "
        "dan {kelurahan} kelurahan.",
        "doc_profile_population": "Jumlah penduduk {population} jiwa (tahun {year}), kepadatan {density} "
        "jiwa per km².",
        "doc_profile_ikn": "Jarak desa/kelurahan ke Ibu Kota Nusantara berkisar {near}–{far} km.",
        "doc_profile_sources": "Sumber: kode dan nama wilayah Kemendagri ({source}); luas resmi {area_source}; "
        "luas kecamatan dihitung dari batas wilayah; status desa dari Indeks Desa Membangun 2024.",
        "doc_districts_caption": "Kecamatan, desa/kelurahan, luas dan jarak ke IKN",
        "doc_desa": "Desa",
        "doc_kelurahan": "Kelurahan",
        "doc_area_km2": "Luas (km²)",
        "doc_ikn_km": "Jarak ke IKN (km)",
        "doc_idm_missing": "Status Indeks Desa Membangun belum dimuat untuk desa-desa daerah ini.",
        "doc_idm_caption": "Status Indeks Desa Membangun 2024 per kecamatan (jumlah desa)",
        "doc_idm_mandiri": "Mandiri",
        "doc_idm_maju": "Maju",
        "doc_idm_berkembang": "Berkembang",
        "doc_idm_tertinggal": "Tertinggal",
        "doc_idm_sangat_tertinggal": "Sangat tertinggal",
        "doc_by_agency": "Masukan Perangkat Daerah",
        "doc_no_agencies": "Belum ada kertas kerja yang diterima dan tidak ada daftar perangkat daerah.",
        "doc_agencies_caption": "Kertas kerja per perangkat daerah",
        "doc_readiness": "Kesiapan Daerah",
        "doc_readiness_text": "Kesiapan daerah dinilai pada tiga aspek: suprastruktur (kebijakan dan "
        "regulasi), struktur (kelembagaan dan sumber daya manusia) dan infrastruktur (teknologi informasi "
        "dan komunikasi serta sarana fisik).",
        "doc_readiness_missing": "Kertas kerja yang diterima belum menyebut aspek kesiapan. Tambahkan kolom "
        "\u201cAspek Kesiapan\u201d (sudah ada pada templat kertas kerja terbaru) dan isi setiap baris dengan "
        "salah satu nilai berikut:",
        "doc_aspect_suprastruktur_help": "Suprastruktur: kebijakan, peraturan daerah, peraturan kepala "
        "daerah, prosedur operasional.",
        "doc_aspect_struktur_help": "Struktur: organisasi, kelembagaan, tata kerja, sumber daya manusia.",
        "doc_aspect_infrastruktur_help": "Infrastruktur: jaringan dan perangkat teknologi informasi, pusat "
        "data, aplikasi, sarana dan prasarana fisik.",
        "doc_aspect": "Aspek",
        "doc_aspect_suprastruktur": "Suprastruktur",
        "doc_aspect_struktur": "Struktur",
        "doc_aspect_infrastruktur": "Infrastruktur",
        "doc_most_urgent": "Masalah paling mendesak",
        "doc_readiness_caption": "Kesiapan daerah: {dimension}",
        "doc_readiness_unnamed": "{n} isu dimensi ini tidak menyebut aspek kesiapan.",
        "doc_swot": "Analisis SWOT per Dimensi",
        "doc_swot_text": "Isi setiap sel adalah uraian perangkat daerah sendiri, yang paling mendesak lebih "
        "dahulu (paling banyak {n} per sel), dengan tempat, perangkat daerah dan tingkat urgensinya. "
        "Daftar lengkap ada di lampiran isu.",
        "doc_swot_caption": "Matriks SWOT: {dimension}",
        # 3 Visi, misi dan strategi
        "doc_vision_strategy": "Visi, Misi dan Strategi",
        "doc_ph_vision": "Visi dan Misi Smart City",
        "doc_ph_vision_guide": "Rumuskan visi smart city daerah dan misi per dimensi bersama pimpinan "
        "daerah; selaraskan dengan visi kepala daerah dan peran daerah sebagai penyangga IKN.",
        "doc_ph_rpjmd": "Keterkaitan dengan RPJMD dan Rencana Strategis",
        "doc_ph_rpjmd_guide": "Tunjukkan tujuan dan sasaran RPJMD serta rencana strategis perangkat daerah "
        "yang didukung setiap dimensi, dalam bentuk tabel keterkaitan.",
        "doc_tows": "Strategi per Dimensi (Matriks TOWS)",
        "doc_tows_text": "Setiap sel memasangkan faktor dalam (kekuatan atau kelemahan) dengan faktor luar "
        "(peluang atau ancaman) yang dilaporkan: lebih dahulu di kecamatan yang sama pada dimensi yang sama, "
        "lalu di seluruh kabupaten pada dimensi yang sama, lalu di tempat yang sama pada dimensi lain. "
        "Rumusan ini draf yang disusun dari data; tim menyempurnakan atau menggantinya.",
        "doc_tows_caption": "Draf strategi TOWS: {dimension}",
        "doc_tows_column": "Strategi",
        "doc_strategy_column": "Rumusan strategi (draf)",
        "doc_so": "SO: kekuatan dan peluang",
        "doc_wo": "WO: kelemahan dan peluang",
        "doc_st": "ST: kekuatan dan ancaman",
        "doc_wt": "WT: kelemahan dan ancaman",
        "doc_tows_so_statement": "Manfaatkan kekuatan \u201c{a}\u201d ({a_place}) untuk meraih peluang "
        "\u201c{b}\u201d ({b_place}).",
        "doc_tows_wo_statement": "Atasi kelemahan \u201c{a}\u201d ({a_place}) dengan memanfaatkan peluang "
        "\u201c{b}\u201d ({b_place}).",
        "doc_tows_st_statement": "Gunakan kekuatan \u201c{a}\u201d ({a_place}) untuk menghadapi ancaman "
        "\u201c{b}\u201d ({b_place}).",
        "doc_tows_wt_statement": "Tangani kelemahan \u201c{a}\u201d ({a_place}) agar ancaman \u201c{b}\u201d "
        "({b_place}) tidak memperburuknya.",
        "doc_tier_1": "kecamatan yang sama",
        "doc_tier_2": "seluruh kabupaten",
        "doc_tier_3": "lintas dimensi, tempat yang sama",
        "doc_no_pairs_missing": "Tidak ada pasangan: belum ada {kinds} yang dilaporkan untuk dimensi ini, "
        "juga tidak di tempat yang sama pada dimensi lain.",
        "doc_no_pairs_apart": "Tidak ada pasangan: faktor dalam dan faktor luar dimensi ini dilaporkan di "
        "tempat yang tidak pernah sama.",
        # 4 Kawasan prioritas
        "doc_priority": "Kawasan Prioritas",
        "doc_figures": "Peta Prioritas",
        "doc_figures_note": "Peta dapat dibuka lebih rinci di halaman peta interaktif hasil penilaian yang "
        "sama.",
        "doc_top_villages": "Desa/Kelurahan Prioritas",
        "doc_villages_caption": "{n} desa/kelurahan dengan skor prioritas tertinggi",
        "doc_why_title": "Alasan per desa/kelurahan",
        "doc_why_line": "{rank}. {name}: {parts}. Rentang peringkat bila bobot diubah: {interval}.",
        "doc_top_districts": "Kecamatan Prioritas",
        "doc_districts_priority_caption": "{n} kecamatan dengan skor prioritas tertinggi",
        "doc_hotspots": "Titik Panas",
        "doc_no_hotspots": "Tidak ada titik panas yang bermakna secara statistik.",
        # 5, 6, 7
        "doc_programmes": "Program dan Quick Win",
        "doc_quick_wins": "Kandidat Quick Win",
        "doc_quick_text": "Kelemahan dengan urgensi {urgency} atau lebih di desa dengan p(top) {p} atau "
        "lebih, per perangkat daerah: masalah mendesak di tempat yang hampir pasti tetap prioritas.",
        "doc_quick_caption": "Kandidat quick win per perangkat daerah",
        "doc_candidates": "Kandidat (paling mendesak)",
        "doc_ph_programmes": "Program Prioritas per Dimensi",
        "doc_ph_programmes_guide": "Susun program dan kegiatan per dimensi dari strategi di Bab 3: nama "
        "program, perangkat daerah pelaksana, lokasi (gunakan kawasan prioritas Bab 4), keluaran dan "
        "indikator.",
        "doc_roadmap": "Peta Jalan",
        "doc_ph_roadmap": "Tahapan Pelaksanaan",
        "doc_ph_roadmap_guide": "Tetapkan tahun pelaksanaan setiap program dalam lima tahun (jangka pendek, "
        "menengah, panjang), dengan quick win pada tahun pertama.",
        "doc_ph_budget": "Rencana Anggaran dan Sumber Pendanaan",
        "doc_ph_budget_guide": "Perkirakan anggaran per program per tahun dan sumbernya (APBD, APBN, dana "
        "desa, kerja sama, swasta).",
        "doc_changes": "Perubahan sejak Penilaian Sebelumnya",
        "doc_no_previous": "Belum ada penilaian sebelumnya untuk dibandingkan.",
        "doc_previous_text": "Dibandingkan dengan penilaian {date} (kode {run}).",
        # annexes
        "doc_annex_a_number": "Lampiran A",
        "doc_annex_a": "Ringkasan Isu per Kecamatan dan Dimensi",
        "doc_annex_text": "Daftar lengkap {n} isu (satu lembar per dimensi, dengan filter, siap dicetak A4 "
        "mendatar) ada di buku kerja {file} di samping dokumen ini.",
        "doc_annex_caption": "Jumlah isu per kecamatan dan dimensi",
        "doc_short_governance": "Tata Kelola",
        "doc_short_branding": "Pencitraan",
        "doc_short_economy": "Ekonomi",
        "doc_short_living": "Kehidupan",
        "doc_short_society": "Masyarakat",
        "doc_short_environment": "Lingkungan",
    },
    "en": {
        "doc_title": "Smart City Master Plan Spatial Analysis",
        "doc_subtitle": "Material for the master plan: regional profile and readiness, SWOT and strategies "
        "per dimension, priority areas",
        "doc_draft_mark": "WORKING DRAFT. Parts framed in yellow are for the drafting team to complete before "
        "the document is handed in.",
        "doc_date": "Prepared",
        "doc_run": "Scoring run",
        "doc_model": "Scoring model",
        "doc_page": "Page {page}",
        "doc_toc": "Contents",
        "doc_list_tables": "List of Tables",
        "doc_list_figures": "List of Figures",
        "doc_list_placeholders": "Parts the Team Completes",
        "doc_placeholders_text": "The following parts cannot be written from the worksheets' data. Each is "
        "framed in yellow and says what belongs there.",
        "doc_table": "Table",
        "doc_figure": "Figure",
        "doc_to_write": "FOR THE TEAM",
        "doc_none": "None.",
        "doc_more": "… and {n} more (see the issue workbook)",
        "doc_more_places": "and {n} other places",
        "doc_issue_count": "Issues",
        "doc_quick_others": "No other agency reported a weakness meeting both conditions.",
        "doc_readiness_none": "{dimension}: no issue names a readiness aspect yet ({n} issues without one).",
        "doc_districts_all_caption": "Priority ranking of the districts",
        "doc_total": "Total",
        "doc_urgency": "urgency",
        "doc_regency": "Whole regency",
        "doc_district_short": "Dist.",
        "doc_text": "Description",
        "doc_swot_column": "SWOT",
        "doc_readiness_column": "Readiness aspect",
        "doc_other_dimension": "Other dimension",
        "doc_intro": "Introduction",
        "doc_ph_background": "Background",
        "doc_ph_background_guide": "Explain why the region drafts a smart city master plan: its role as a "
        "buffer region of the capital Nusantara, the Smart City movement programme, the region's "
        "development issues and its leaders' expectations.",
        "doc_ph_legal": "Legal Basis",
        "doc_ph_legal_guide": "List the regulations it rests on, highest first: for example Law 23/2014 on "
        "Regional Government, Law 3/2022 on the State Capital as amended by Law 21/2023, Presidential Regulation 95/2018 on "
        "Electronic Government, the region's RPJMD and spatial plan bylaws, and the head of region's "
        "decree on the smart city team.",
        "doc_ph_aims": "Purpose, Aims and Targets",
        "doc_ph_aims_guide": "State the purpose of the plan, the aims for five years and measurable targets "
        "(for example online services, village network coverage).",
        "doc_summary": "Summary of the Analysis",
        "doc_received_text": "{agencies} agencies sent {worksheets} worksheets with {rows} rows; {rejected} "
        "rows were rejected as unreadable or unplaceable. {issues} issues were placed in a village or "
        "district and scored.",
        "doc_roster_text": "{missing} of the {total} agencies on the roster have not submitted: {names}.",
        "doc_top_text": "The five villages with the highest priority scores: {names}.",
        "doc_dominant": "The problem reported most often per dimension",
        "doc_no_problem": "no problem reported",
        "doc_method": "Method",
        "doc_inputs": "Data and sources",
        "doc_placement": "Placing the issues",
        "doc_placement_text": "Each row was placed by its area code, its coordinates, its village name, or in "
        "its district when only the district was known. Rows whose place was in doubt were rejected, never "
        "guessed: {placed}.",
        "doc_model_title": "Scoring model",
        "doc_classes_jenks": "natural breaks (Jenks)",
        "doc_classes_quantile": "quantiles",
        "doc_classes_equal": "equal intervals",
        "doc_model_text": "Village score = 100 × Σ (weight × normalised value 0–1); each village's "
        "components add up exactly to its score. Priority classes: {method}, {count} classes.",
        "doc_weights_caption": "Weights of the village criteria",
        "doc_ahp": "AHP consistency ratio (CR): {cr}.",
        "doc_hotspots_title": "Hot spots",
        "doc_hotspots_text": "Getis-Ord Gi* statistic on the village scores (neighbours sharing a border, "
        "{permutations} random permutations, multiple-testing correction at a false discovery rate of "
        "{alpha}).",
        "doc_robust_title": "Certainty of the ranking",
        "doc_robust_text": "Criterion weights were changed at random {draws} times (spread {spread}); p(top) "
        "is the share of draws in which a village stays in the top {top_n}, with its rank range from the "
        "5th to the 95th percentile.",
        "doc_caveats": "Notes and limits",
        "doc_caveat_ikn": "The IKN boundary used is approximate, not the official boundary.",
        "doc_caveat_dropped": "Criteria left out for lack of data: {names}.",
        "doc_caveat_text": "Issues that could not be placed and rejected rows are not scored; both are "
        "recorded with their reason in each agency's feedback.",
        "doc_strategic": "Strategic Analysis",
        "doc_profile": "Regional Profile",
        "doc_profile_missing": "No areas are loaded for this region yet; load the village and district "
        "boundaries so that the profile can be written.",
        "doc_profile_text": "{name} covers {area} km² in {districts} districts, {desa} rural villages (desa) "
        "and {kelurahan} urban wards (kelurahan).",
        "doc_profile_population": "Population {population} ({year}), density {density} per km².",
        "doc_profile_ikn": "Its villages lie {near}–{far} km from the capital Nusantara.",
        "doc_profile_sources": "Sources: Kemendagri area codes and names ({source}); official area "
        "{area_source}; district areas computed from the boundaries; village status from the Village "
        "Development Index 2024.",
        "doc_districts_caption": "Districts, villages, area and distance to IKN",
        "doc_desa": "Desa",
        "doc_kelurahan": "Kelurahan",
        "doc_area_km2": "Area (km²)",
        "doc_ikn_km": "Distance to IKN (km)",
        "doc_idm_missing": "No Village Development Index status is loaded for this region's villages.",
        "doc_idm_caption": "Village Development Index 2024 status by district (villages)",
        "doc_idm_mandiri": "Independent",
        "doc_idm_maju": "Advanced",
        "doc_idm_berkembang": "Developing",
        "doc_idm_tertinggal": "Lagging",
        "doc_idm_sangat_tertinggal": "Very lagging",
        "doc_by_agency": "Inputs by Agency",
        "doc_no_agencies": "No worksheet was received and there is no roster of agencies.",
        "doc_agencies_caption": "Worksheets by agency",
        "doc_readiness": "Regional Readiness",
        "doc_readiness_text": "Readiness is assessed in three aspects: suprastructure (policies and "
        "regulations), structure (institutions and people) and infrastructure (information and "
        "communication technology and physical facilities).",
        "doc_readiness_missing": "The worksheets received do not name a readiness aspect yet. Add the column "
        "\u201cAspek Kesiapan\u201d (the latest worksheet template has it) and fill each row with one of:",
        "doc_aspect_suprastruktur_help": "Suprastruktur: policies, regional regulations, head of region's "
        "regulations, operating procedures.",
        "doc_aspect_struktur_help": "Struktur: organisation, institutions, working arrangements, people.",
        "doc_aspect_infrastruktur_help": "Infrastruktur: ICT networks and devices, data centres, "
        "applications, physical facilities.",
        "doc_aspect": "Aspect",
        "doc_aspect_suprastruktur": "Suprastructure",
        "doc_aspect_struktur": "Structure",
        "doc_aspect_infrastruktur": "Infrastructure",
        "doc_most_urgent": "Most urgent problem",
        "doc_readiness_caption": "Readiness: {dimension}",
        "doc_readiness_unnamed": "{n} issues of this dimension name no readiness aspect.",
        "doc_swot": "SWOT Analysis per Dimension",
        "doc_swot_text": "Each cell holds the agencies' own descriptions, most urgent first (at most {n} per "
        "cell), with place, agency and urgency. The complete list is in the issue workbook.",
        "doc_swot_caption": "SWOT matrix: {dimension}",
        "doc_vision_strategy": "Vision, Mission and Strategy",
        "doc_ph_vision": "Smart City Vision and Mission",
        "doc_ph_vision_guide": "Formulate the region's smart city vision and a mission per dimension with the "
        "region's leaders, in line with the head of region's vision and the region's role as a buffer of IKN.",
        "doc_ph_rpjmd": "Links to the RPJMD and Strategic Plans",
        "doc_ph_rpjmd_guide": "Show which aims and targets of the RPJMD and of the agencies' strategic plans "
        "each dimension supports, as a table.",
        "doc_tows": "Strategies per Dimension (TOWS Matrix)",
        "doc_tows_text": "Each cell pairs an internal factor (strength or weakness) with an external one "
        "(opportunity or threat) that was reported: first in the same district and dimension, then across "
        "the regency in the same dimension, then at the same place in another dimension. These are drafts "
        "built from the data; the team refines or replaces them.",
        "doc_tows_caption": "Draft TOWS strategies: {dimension}",
        "doc_tows_column": "Strategy",
        "doc_strategy_column": "Statement (draft)",
        "doc_so": "SO: strengths and opportunities",
        "doc_wo": "WO: weaknesses and opportunities",
        "doc_st": "ST: strengths and threats",
        "doc_wt": "WT: weaknesses and threats",
        "doc_tows_so_statement": "Use the strength \u201c{a}\u201d ({a_place}) to seize the opportunity "
        "\u201c{b}\u201d ({b_place}).",
        "doc_tows_wo_statement": "Overcome the weakness \u201c{a}\u201d ({a_place}) by using the opportunity "
        "\u201c{b}\u201d ({b_place}).",
        "doc_tows_st_statement": "Use the strength \u201c{a}\u201d ({a_place}) to counter the threat "
        "\u201c{b}\u201d ({b_place}).",
        "doc_tows_wt_statement": "Address the weakness \u201c{a}\u201d ({a_place}) so that the threat "
        "\u201c{b}\u201d ({b_place}) does not worsen it.",
        "doc_tier_1": "same district",
        "doc_tier_2": "whole regency",
        "doc_tier_3": "across dimensions, same place",
        "doc_no_pairs_missing": "No pair: no {kinds} was reported for this dimension, nor at the same places "
        "in another dimension.",
        "doc_no_pairs_apart": "No pair: this dimension's internal and external factors were reported at "
        "places that never meet.",
        "doc_priority": "Priority Areas",
        "doc_figures": "Priority Maps",
        "doc_figures_note": "The maps can be explored in detail on the interactive map page of the same "
        "scoring run.",
        "doc_top_villages": "Priority Villages",
        "doc_villages_caption": "The {n} villages with the highest priority scores",
        "doc_why_title": "Reasons per village",
        "doc_why_line": "{rank}. {name}: {parts}. Rank range when the weights change: {interval}.",
        "doc_top_districts": "Priority Districts",
        "doc_districts_priority_caption": "The {n} districts with the highest priority scores",
        "doc_hotspots": "Hot Spots",
        "doc_no_hotspots": "No statistically significant hot spot.",
        "doc_programmes": "Programmes and Quick Wins",
        "doc_quick_wins": "Quick-Win Candidates",
        "doc_quick_text": "Weaknesses of urgency {urgency} or more in villages with p(top) of {p} or more, by "
        "agency: urgent problems in places almost sure to stay a priority.",
        "doc_quick_caption": "Quick-win candidates by agency",
        "doc_candidates": "Candidates (most urgent)",
        "doc_ph_programmes": "Priority Programmes per Dimension",
        "doc_ph_programmes_guide": "Draw up programmes and activities per dimension from the strategies of "
        "chapter 3: name, implementing agency, location (use the priority areas of chapter 4), outputs "
        "and indicators.",
        "doc_roadmap": "Roadmap",
        "doc_ph_roadmap": "Phasing",
        "doc_ph_roadmap_guide": "Set the year of each programme within five years (short, medium, long "
        "term), with the quick wins in the first year.",
        "doc_ph_budget": "Budget and Funding Sources",
        "doc_ph_budget_guide": "Estimate each programme's budget per year and its source (regional and "
        "national budgets, village funds, partnerships, private sector).",
        "doc_changes": "What Changed since the Previous Scoring",
        "doc_no_previous": "No previous scoring to compare with yet.",
        "doc_previous_text": "Compared with the scoring of {date} (run {run}).",
        "doc_annex_a_number": "Annex A",
        "doc_annex_a": "Issues by District and Dimension",
        "doc_annex_text": "The complete list of {n} issues (one sheet per dimension, with filters, ready to "
        "print on A4 landscape) is in the workbook {file} beside this document.",
        "doc_annex_caption": "Issues by district and dimension",
        "doc_short_governance": "Governance",
        "doc_short_branding": "Branding",
        "doc_short_economy": "Economy",
        "doc_short_living": "Living",
        "doc_short_society": "Society",
        "doc_short_environment": "Environment",
    },
}
