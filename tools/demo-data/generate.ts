/**
 * Deterministic generator of a realistic demo conference in the `lanyard.conference/1` import format.
 *
 *   npx tsx tools/demo-data/generate.ts [--registrants N] [--seed S] [--sessions N] [--days N] [--out FILE]
 *
 * `generateConference(opts)` is pure: same options → same file, byte for byte. Sessions, rooms and seat targets
 * come from their own PRNG stream, so changing the registrant count keeps the programme identical.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConferenceFile } from '../../core/conference';

export interface GenerateOptions {
  /** PRNG seed (an integer, 0..2^32-1). Default 2026. */
  seed?: number;
  /** How many registrants. Default 2,000; up to 1,000,000. */
  registrants?: number;
  /** How many sessions, keynotes included. Default 40. */
  sessions?: number;
  /** Conference days, from 2026-12-01. Default 3, at most 14. */
  days?: number;
}

export const defaults = { seed: 2026, registrants: 2000, sessions: 40, days: 3 } as const;

// ───────────────────────────── PRNG ─────────────────────────────

export type Rng = () => number;

/** mulberry32: a tiny 32-bit PRNG, good enough for demo data and fully deterministic. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An independent stream per purpose, derived from the seed. */
function stream(seed: number, purpose: number): Rng {
  let h = (seed ^ Math.imul(purpose + 1, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return mulberry32((h ^ (h >>> 16)) >>> 0);
}

const int = (rng: Rng, n: number): number => Math.floor(rng() * n);

function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[int(rng, items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

function shuffled<T>(rng: Rng, items: readonly T[]): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = int(rng, i + 1);
    const t = out[i] as T;
    out[i] = out[j] as T;
    out[j] = t;
  }
  return out;
}

function weighted<T>(rng: Rng, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let x = rng() * total;
  for (const [item, w] of items) {
    x -= w;
    if (x < 0) return item;
  }
  const last = items[items.length - 1];
  if (last === undefined) throw new Error('weighted pick from an empty list');
  return last[0];
}

// ───────────────────────────── Text helpers ─────────────────────────────

const FOLD: Record<string, string> = {
  ł: 'l',
  Ł: 'L',
  ø: 'o',
  Ø: 'O',
  ß: 'ss',
  æ: 'ae',
  Æ: 'AE',
  œ: 'oe',
  Œ: 'OE',
  đ: 'd',
  Đ: 'D',
  ð: 'd',
  Ð: 'D',
  þ: 'th',
  Þ: 'Th',
  ı: 'i',
  ħ: 'h',
  Ħ: 'H',
};

/** "Søren Ødegård" → "soren odegard"; letters outside Latin are dropped (native scripts carry a romanization). */
export function asciiFold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[łŁøØßæÆœŒđĐðÐþÞıħĦ]/g, (c) => FOLD[c] ?? '')
    .toLowerCase();
}

const slug = (s: string): string =>
  asciiFold(s)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');

// ───────────────────────────── Names ─────────────────────────────

/** A name as shown plus the ASCII form used for its email (same unless the script is not Latin). */
interface Name {
  text: string;
  ascii: string;
}
interface Culture {
  key: string;
  weight: number;
  female: Name[];
  male: Name[];
  /** Surnames as [male form, female form]; equal for most languages. */
  last: [Name, Name][];
  /** Chance of two surnames (Spanish, Portuguese). */
  doubleLast?: number;
  /** Chance of a single-name person (lastName ""). */
  mononym?: number;
  /** Names in a native (non-Latin) script, used for a share of this culture's people. */
  native?: { share: number; female: Name[]; male: Name[]; last: [Name, Name][] };
}

/** "Γιώργος|giorgos" → a name with an explicit romanization; plain entries are their own. */
const nm = (entry: string): Name => {
  const [text = '', ascii] = entry.split('|');
  return { text, ascii: ascii ?? text };
};
const names = (list: string): Name[] => list.split(',').map((s) => nm(s.trim()));
/** "Kowalski/Kowalska" → gendered pair; "Nowak" → same for both. */
const surnames = (list: string): [Name, Name][] =>
  list.split(',').map((s) => {
    const [m = '', f] = s.trim().split('/');
    return [nm(m), nm(f ?? m)];
  });

const CULTURES: Culture[] = [
  {
    key: 'pt',
    weight: 14,
    doubleLast: 0.45,
    female: names(
      'Ana, Beatriz, Inês, Mariana, Joana, Catarina, Leonor, Margarida, Conceição, Luísa, Sofia, Rita, Francisca, Débora, Lúcia',
    ),
    male: names(
      'João, José, António, Tiago, Gonçalo, Rui, Duarte, Nuno, Vasco, Afonso, Sebastião, Simão, Rodrigo, Henrique, Tomás',
    ),
    last: surnames(
      'Silva, Santos, Ferreira, Pereira, Oliveira, Costa, Rodrigues, Martins, Sousa, Gonçalves, Gomes, Lopes, Marques, Magalhães, Conceição, Brandão, Simões, Assunção, da Silva, dos Santos, Figueiredo, Albuquerque, Loureiro, Guimarães',
    ),
  },
  {
    key: 'es',
    weight: 9,
    doubleLast: 0.55,
    female: names(
      'María, Lucía, Carmen, Paula, Sofía, Begoña, Nuria, Ainhoa, Inmaculada, Pilar, Elena, Ángela, Raquel, Itziar',
    ),
    male: names('José, Javier, Álvaro, Iñaki, Sergio, Pablo, Andrés, Jesús, Íñigo, Raúl, Óscar, Adrián, Martín, Rubén'),
    last: surnames(
      'García, Fernández, González, Rodríguez, López, Martínez, Sánchez, Pérez, Gómez, Muñoz, Núñez, Jiménez, Álvarez, Ibáñez, Peña, Zúñiga, Echeverría, Castañeda',
    ),
  },
  {
    key: 'de',
    weight: 8,
    female: names('Anna, Lena, Katharina, Hannah, Lea, Käthe, Mareike, Sophie, Franziska, Greta, Anja'),
    male: names(
      'Lukas, Jürgen, Maximilian, Jörg, Felix, Tobias, Sebastian, Moritz, Björn, Matthias, Uwe, Florian, Till',
    ),
    last: surnames(
      'Müller, Schmidt, Schneider, Fischer, Weber, Schäfer, Köhler, Groß, Krüger, Hoffmann, Weiß, Bäcker, Schröder, Vogel, Böhm, Strauß, Lindemann',
    ),
  },
  {
    key: 'fr',
    weight: 7,
    female: names('Camille, Léa, Chloé, Zoé, Inès, Manon, Océane, Élodie, Hélène, Anaïs, Margaux, Noémie'),
    male: names('Jean-Baptiste, Théo, Hugo, Lucas, Rémi, François, Jérôme, Mathéo, Gaël, Loïc, Benoît, Noël'),
    last: surnames(
      "Martin, Bernard, Dubois, Lefèvre, Lefebvre, Moreau, Girard, Rousseau, Mercier, Faure, Chevalier, Bérenger, Gauthier, D'Aubigné, Lemaître, Desjardins",
    ),
  },
  {
    key: 'pl',
    weight: 5,
    female: names('Łucja, Małgorzata, Agnieszka, Zofia, Katarzyna, Żaneta, Ewa, Joanna, Grażyna, Magdalena'),
    male: names('Łukasz, Paweł, Michał, Tomasz, Wojciech, Grzegorz, Piotr, Kacper, Jędrzej, Bartłomiej'),
    last: surnames(
      'Nowak, Kowalski/Kowalska, Wiśniewski/Wiśniewska, Wróblewski/Wróblewska, Wójcik, Kamiński/Kamińska, Lewandowski/Lewandowska, Zieliński/Zielińska, Szczepański/Szczepańska, Dąbrowski/Dąbrowska, Król, Mazur',
    ),
  },
  {
    key: 'nordic',
    weight: 5,
    female: names('Åsa, Ingrid, Sigrid, Maja, Freja, Þórunn, Linnéa, Astrid, Märta, Sólveig, Aino, Kirsten'),
    male: names('Søren, Björn, Lars, Mikael, Eirik, Jónas, Anders, Håkon, Mattias, Ægir, Jørgen, Oskari'),
    last: surnames(
      'Ødegård, Lindqvist, Järvinen, Halvorsen, Bjørnstad, Sigurðsson/Sigurðardóttir, Andersson, Nyström, Mäkinen, Østergaard, Åberg, Kristiansen, Virtanen, Jensen',
    ),
  },
  {
    key: 'en',
    weight: 10,
    female: names('Emma, Olivia, Charlotte, Siobhán, Niamh, Grace, Hannah, Amelia, Chloe, Megan, Aoife, Rebecca'),
    male: names('James, Oliver, Jack, Liam, William, Thomas, Daniel, Seán, Ethan, Henry, Callum, Rhys'),
    last: surnames(
      "Smith, Jones, Williams, Brown, Taylor, O'Connor, O'Brien, McAllister, Walsh, Evans, Murphy, Clarke, Fitzgerald, Hughes, Thompson, Kowalczyk-Smith",
    ),
  },
  {
    key: 'it',
    weight: 5,
    female: names('Giulia, Chiara, Francesca, Alessia, Martina, Federica, Noemi, Ilaria'),
    male: names('Luca, Marco, Niccolò, Matteo, Andrea, Giuseppe, Lorenzo, Tommaso'),
    last: surnames(
      'Rossi, Russo, Ferrari, Esposito, Bianchi, Romano, Colombo, Ricci, Marino, Greco, De Luca, Lombardi, Fabbri, Caruso',
    ),
  },
  {
    key: 'nl',
    weight: 4,
    female: names('Sanne, Femke, Lotte, Anouk, Eline, Marieke, Noor'),
    male: names('Daan, Sem, Bram, Joost, Thijs, Pieter, Maarten, Sjoerd'),
    last: surnames(
      'de Jong, Jansen, de Vries, van den Berg, van Dijk, Bakker, Visser, Smit, Meijer, van der Linden, de Boer, IJzerman',
    ),
  },
  {
    key: 'tr',
    weight: 4,
    female: names('Ayşe, Elif, Zeynep, Gülşen, Şeyma, Özlem, İrem, Büşra, Çiğdem'),
    male: names('Şükrü, Mehmet, Mustafa, Emre, İbrahim, Oğuz, Burak, Çağlar, Hakan, Ömer'),
    last: surnames('Çelik, Yılmaz, Kaya, Demir, Şahin, Öztürk, Yıldız, Aydın, Özdemir, Arslan, Doğan, Kılıç, Güneş'),
  },
  {
    key: 'vi',
    weight: 3,
    female: names('Thị Minh, Ngọc Anh, Thu Hằng, Thị Lan, Phương Linh, Bảo Ngọc, Thanh Hương, Mỹ Duyên'),
    male: names('Văn Hùng, Minh Tuấn, Quốc Bảo, Đức Anh, Thành Long, Hữu Phước, Gia Huy, Văn Đông'),
    last: surnames('Nguyễn, Trần, Lê, Phạm, Hoàng, Huỳnh, Phan, Vũ, Võ, Đặng, Bùi, Đỗ'),
  },
  {
    key: 'zh',
    weight: 5,
    female: names('Fang, Xiuying, Jing, Li, Min, Yan, Xiaoling, Lü, Mei, Hui'),
    male: names('Wei, Yang, Lei, Jun, Hao, Qiang, Zhiwei, Yifan, Haoran, Jian'),
    last: surnames('Wang, Li, Zhang, Liu, Chen, Yang, Huang, Zhao, Wu, Zhou, Xu, Sun, Ma, Zhu, Lin'),
    native: {
      share: 0.3,
      female: names('芳|fang, 秀英|xiuying, 静|jing, 丽|li, 敏|min, 艳|yan, 晓玲|xiaoling, 梅|mei'),
      male: names('伟|wei, 洋|yang, 磊|lei, 军|jun, 浩|hao, 强|qiang, 志伟|zhiwei, 一凡|yifan'),
      last: surnames(
        '王|wang, 李|li, 张|zhang, 刘|liu, 陈|chen, 杨|yang, 黄|huang, 赵|zhao, 吴|wu, 周|zhou, 欧阳|ouyang',
      ),
    },
  },
  {
    key: 'ja',
    weight: 3,
    female: names('Yūko, Haruka, Sakura, Aoi, Yui, Mei, Kyōko, Hina, Ayaka'),
    male: names('Yūki, Haruto, Sōta, Ren, Takumi, Kenta, Shōhei, Daiki, Kōji'),
    last: surnames('Satō, Suzuki, Takahashi, Tanaka, Watanabe, Itō, Yamamoto, Nakamura, Kobayashi, Katō, Ōno, Saitō'),
  },
  {
    key: 'ko',
    weight: 3,
    female: names('Ji-woo, Seo-yeon, Ha-eun, Min-seo, Soo-ah, Ye-jin, Ji-ah'),
    male: names('Min-jun, Seo-jun, Do-yun, Ha-jun, Ji-ho, Jun-seo, Hyun-woo'),
    last: surnames('Kim, Lee, Park, Choi, Jeong, Kang, Cho, Yoon, Jang, Lim, Han'),
    native: {
      share: 0.25,
      female: names('지우|jiwoo, 서연|seoyeon, 하은|haeun, 민서|minseo, 예진|yejin'),
      male: names('민준|minjun, 서준|seojun, 도윤|doyun, 지호|jiho, 현우|hyunwoo'),
      last: surnames('김|kim, 이|lee, 박|park, 최|choi, 정|jeong, 강|kang, 윤|yoon'),
    },
  },
  {
    key: 'in',
    weight: 7,
    female: names('Priya, Ananya, Lakshmi, Aishwarya, Divya, Kavya, Meenakshi, Sneha, Pooja, Nandini'),
    male: names('Aarav, Rohan, Venkatesh, Arjun, Sai, Vikram, Karthik, Siddharth, Rahul, Aditya'),
    last: surnames(
      'Sharma, Iyer, Patel, Reddy, Chatterjee, Nair, Krishnamurthy, Bhattacharya, Gupta, Menon, Subramanian, Deshpande, Venkataraman, Mukherjee',
    ),
  },
  {
    key: 'ar',
    weight: 4,
    female: names('Aïcha, Fatima, Layla, Nour, Yasmine, Mariam, Salma, Rania, Hiba'),
    male: names('Mohammed, Youssef, Omar, Karim, Tarek, Hamza, Khalid, Ziad, Mehdi'),
    last: surnames(
      'Al-Farsi, El Amrani, Haddad, Benali, Al-Hashimi, Mansour, Saleh, Bouzid, Khoury, Nasser, El-Sayed, Ben Youssef',
    ),
    native: {
      share: 0.15,
      female: names('فاطمة|fatima, ليلى|layla, نور|nour, مريم|mariam'),
      male: names('محمد|mohammed, يوسف|youssef, عمر|omar, كريم|karim'),
      last: surnames('الفارسي|alfarsi, حداد|haddad, منصور|mansour, صالح|saleh, خوري|khoury'),
    },
  },
  {
    key: 'ng',
    weight: 4,
    female: names('Ngozi, Adaeze, Folake, Chiamaka, Yetunde, Ọlábísí, Nneka, Funmilayo, Ifeoma'),
    male: names('Chinedu, Oluwaseun, Emeka, Tunde, Obinna, Adébáyọ̀, Chukwuemeka, Babatunde, Ikenna'),
    last: surnames('Okafor, Adeyemi, Okonkwo, Eze, Balogun, Nwosu, Adébáyọ̀, Ogunleye, Ọládípọ̀, Obi, Akinwale, Ibrahim'),
  },
  {
    key: 'gr',
    weight: 2,
    female: names('Eleni, Katerina, Maria, Sofia, Georgia, Despina'),
    male: names('Giorgos, Dimitris, Nikos, Kostas, Yannis, Panagiotis'),
    last: surnames(
      'Papadopoulos/Papadopoulou, Nikolaou, Konstantinidis/Konstantinidou, Georgiou, Pappas/Pappa, Oikonomou, Vlachos/Vlachou',
    ),
    native: {
      share: 0.2,
      female: names('Ελένη|eleni, Κατερίνα|katerina, Σοφία|sofia, Δέσποινα|despoina'),
      male: names('Γιώργος|giorgos, Δημήτρης|dimitris, Νίκος|nikos, Κώστας|kostas'),
      last: surnames(
        'Παπαδόπουλος|papadopoulos/Παπαδοπούλου|papadopoulou, Νικολάου|nikolaou, Γεωργίου|georgiou, Οικονόμου|oikonomou',
      ),
    },
  },
  {
    key: 'cz',
    weight: 3,
    female: names('Kateřina, Tereza, Lucie, Jana, Markéta, Zdeňka, Věra'),
    male: names('Jiří, Tomáš, Ondřej, Jakub, Lukáš, Přemysl, Vojtěch, Radek'),
    last: surnames(
      'Dvořák/Dvořáková, Novák/Nováková, Svoboda/Svobodová, Černý/Černá, Procházka/Procházková, Růžička/Růžičková, Kučera/Kučerová, Horák/Horáková',
    ),
  },
  {
    key: 'ua',
    weight: 2,
    female: names('Oksana, Olena, Iryna, Yuliia, Nataliia'),
    male: names('Oleksandr, Andrii, Taras, Dmytro, Serhii'),
    last: surnames('Shevchenko, Kovalenko, Bondarenko, Tkachenko, Melnyk, Kravchuk'),
  },
  {
    key: 'id',
    weight: 2,
    mononym: 0.35,
    female: names('Ayu, Sari, Dewi, Putri, Wulan, Indah'),
    male: names('Budi, Agus, Rizky, Wayan, Bayu, Eko'),
    last: surnames('Santoso, Wijaya, Pratama, Hidayat, Saputra, Kusuma'),
  },
];

/** People the demo always contains (edge cases for badges, search and email folding); placed at seeded positions. */
const FEATURED: { first: string; last: string; ascii?: [string, string]; preferred?: string; country: string }[] = [
  { first: 'José', last: 'Ñúñez', country: 'ES' },
  { first: 'Zoë', last: 'Łukasz', country: 'PL' },
  { first: 'Søren', last: 'Ødegård', country: 'DK' },
  { first: 'Łucja', last: 'Wróblewska', country: 'PL' },
  { first: 'Thị Minh', last: 'Nguyễn', country: 'VN' },
  { first: 'Şükrü', last: 'Çelik', country: 'TR' },
  { first: 'Maria da Conceição', last: 'Albuquerque de Vasconcelos Figueiredo', country: 'PT' },
  { first: 'Venkata Satya Subrahmanya Lakshmi', last: 'Narasimha Chakravarthula', preferred: 'Satya', country: 'IN' },
  { first: 'Hubertus Maximilian', last: 'Freiherr von Schwarzenberg-Lichtenau', country: 'DE' },
  { first: 'Oluwadamilọ́lá', last: 'Adébáyọ̀-Ogunlesi', country: 'NG' },
  { first: 'Siobhán', last: "O'Connor-Nakamura", country: 'IE' },
  { first: 'Þórunn', last: 'Sigurðardóttir', country: 'IS' },
  { first: 'İrem', last: 'Yıldırım', country: 'TR' },
  { first: 'Jiří', last: 'Dvořák', country: 'CZ' },
  { first: 'Sakurako', last: 'Ōtsuka', country: 'JP' },
  { first: '芳', last: '王', ascii: ['fang', 'wang'], country: 'CN' },
  { first: '지우', last: '김', ascii: ['jiwoo', 'kim'], country: 'KR' },
  { first: 'Γιώργος', last: 'Παπαδόπουλος', ascii: ['giorgos', 'papadopoulos'], country: 'GR' },
  { first: 'Suharti', last: '', country: 'ID' },
  { first: 'Wulandari', last: '', country: 'ID' },
  { first: 'Aung', last: '', country: 'MM' },
];

// ───────────────────────────── Companies ─────────────────────────────

const COMPANIES = [
  'Tidewater Labs',
  'Nordlys Software AS',
  'Ferreira & Filhos, Lda.',
  'Müller Systemtechnik GmbH',
  'Kraków Data Works',
  'Café Código',
  'Sakura Cloud K.K.',
  'Brightline Analytics',
  'Azulejo Digital',
  'Quokka Queue Ltd',
  'Hanse Logistik IT',
  'Baobab Payments',
  'Tejo Ventures',
  'Ørsted Rail Systems',
  'Pixel & Pão',
  'Saigon Stack',
  'Anatolia Cloud A.Ş.',
  'Vltava Software s.r.o.',
  'Lagos Ledger',
  'Seoul Signal',
  'Bengaluru Build Co.',
  'Atlas Event Tech',
  'Mistral Observability',
  'Helios Energy Data',
  'Kobold Games',
  'Pinewood Health',
  'Blue Fjord Security',
  'Cascadia Maps',
  'Olive Grove Retail',
  'Sirocco Mobility',
  'Wren & Finch Consulting',
  'Ibérica Telecom',
  'Porto Robotics',
  'Delta Ferries',
  'Aurora Fintech',
  'Kestrel Insurance',
  'Mandarin Apps',
  'Agora Civic Tech',
  'Lumen Media',
  'Basalt Infrastructure',
  'Harbourview University Hospital',
  'Elbe Automotive Software',
  'Marmara Bank',
  'Andes Agritech',
  'Tundra CI',
  'Nimbus Ticketing',
  'Granite Payroll',
  'Cobalt Biotech',
  'Sunflower Learning',
  'Kiwi & Kale Foods',
] as const;

const SPONSORS = [
  'Atlas Event Tech',
  'Nimbus Ticketing',
  'Tidewater Labs',
  'Mistral Observability',
  'Blue Fjord Security',
  'Aurora Fintech',
] as const;

const UNIVERSITIES: [string, string][] = [
  ['Universidade de Lisboa', 'ulisboa.example'],
  ['Universidade do Porto', 'up.example'],
  ['Technische Universität München', 'tum.example'],
  ['Politechnika Warszawska', 'pw.example'],
  ['Universidad Politécnica de Madrid', 'upm.example'],
  ['École Polytechnique', 'polytechnique.example'],
  ['Aalto University', 'aalto.example'],
  ['University of Lagos', 'unilag.example'],
  ['Indian Institute of Science', 'iisc.example'],
  ['České vysoké učení technické', 'cvut.example'],
];

const PERSONAL_DOMAINS = ['mail.example', 'post.example', 'inbox.example', 'example.com', 'example.org', 'example.net'];

const LEGAL_SUFFIX = /\b(gmbh|lda|as|k\.?k|ltd|a\.?s|s\.?r\.?o|co|inc|consulting)\.?$/i;
const companyDomain = (name: string): string =>
  slug(name.replace(/&/g, ' ').replace(/,.*$/, '').replace(LEGAL_SUFFIX, '').trim()).replace(/-/g, '') + '.example';

// ───────────────────────────── Programme ─────────────────────────────

type Kind = 'keynote' | 'workshop' | 'panel' | 'talk';
interface Room {
  name: string;
  capacity: number;
  kinds: Kind[];
}
const MAIN_HALL: Room = { name: 'Grande Auditório (Main Hall)', capacity: 500, kinds: ['talk'] };
const ROOMS: Record<string, Room> = {
  main: MAIN_HALL,
  tejo: { name: 'Sala Tejo', capacity: 250, kinds: ['talk', 'talk', 'panel'] },
  alfama: { name: 'Sala Alfama', capacity: 120, kinds: ['talk', 'talk', 'talk', 'panel'] },
  belem: { name: 'Sala Belém', capacity: 80, kinds: ['talk', 'panel'] },
  chiado: { name: 'Lab Chiado', capacity: 40, kinds: ['workshop'] },
  graca: { name: 'Estúdio Graça', capacity: 20, kinds: ['workshop'] },
};
/** Which rooms a time slot fills first; one pattern per slot, chosen by the seed. */
const ROOM_ORDERS = [
  ['tejo', 'chiado', 'alfama', 'belem', 'graca', 'main'],
  ['main', 'graca', 'belem', 'alfama', 'tejo', 'chiado'],
  ['alfama', 'tejo', 'chiado', 'graca', 'belem', 'main'],
  ['belem', 'chiado', 'tejo', 'main', 'alfama', 'graca'],
  ['tejo', 'graca', 'belem', 'chiado', 'alfama', 'main'],
] as const;
const EXTRA_ROOM_CAPS = [100, 60, 30] as const;

/** Track slots, minutes after local midnight. Keynotes open each day and close the last. */
const SLOTS: [number, number][] = [
  [10 * 60, 11 * 60 + 30],
  [11 * 60 + 45, 13 * 60],
  [14 * 60, 15 * 60 + 30],
  [15 * 60 + 45, 17 * 60],
];
const OPENING: [number, number] = [9 * 60, 9 * 60 + 45];
const CLOSING: [number, number] = [17 * 60 + 15, 18 * 60];
const DURATION: Record<Exclude<Kind, 'keynote'>, number> = { talk: 45, panel: 60, workshop: Infinity };

const topics = (list: string): [string, string][] =>
  list
    .trim()
    .split('\n')
    .map((line) => {
      const [s = '', title = ''] = line.split('=').map((x) => x.trim());
      return [s, title];
    });

const TITLES: Record<Kind, [string, string][]> = {
  keynote: topics(`
    queue=The Queue Is the Product
    offline-promise=Offline-First Is a Promise, Not a Feature
    badges-before-nine=Ten Thousand Badges Before Nine
    venue-wifi=Software That Survives the Venue Wi-Fi
    air-traffic=What Event Tech Can Learn from Air Traffic Control
    calm-software=Shipping Calm Software
    small-web=The Case for Small, Boring Systems
  `),
  workshop: topics(`
    rust=Hands-on Rust: A Fearless CLI in 90 Minutes
    sqlite=SQLite Beyond CRUD: WAL, FTS5 and JSON
    crdt=Build a Collaborative Editor with CRDTs
    property-testing=Property-Based Testing in TypeScript
    a11y=Accessible Forms from Scratch
    otel=Tracing a Distributed System with OpenTelemetry
    k8s=Kubernetes for the Reluctant
    zod=Schema-First APIs with Zod
    electron=Packaging a Secure Electron App
    thermal-printing=Thermal Printers, ESC/POS and QR Codes
    postgres=Postgres Query Plans, Demystified
    wasm=WebAssembly Components in Practice
    go=Concurrency Patterns in Go
    react-perf=Profiling React Until It Is Fast
    terraform=Terraform Modules That Don't Hurt
    threat-modelling=Threat Modelling for Small Teams
    design-tokens=Design Tokens from Figma to Code
    duckdb=Data Cleaning with Python and DuckDB
    liveview=Phoenix LiveView in an Afternoon
    llm-evals=Writing Evals for LLM Features
  `),
  panel: topics(`
    wifi-war-stories=Panel: Venue Wi-Fi War Stories
    oss-funding=Panel: Who Pays for Open Source?
    on-call=Panel: On-Call Without Burnout
    ai-pairing=Panel: AI Pair Programmers, One Year In
    remote-teams=Panel: Remote Teams Across Twelve Time Zones
    accessible-events=Panel: Making Events Accessible to Everyone
    hiring-juniors=Panel: Hiring Juniors in 2026
    attendee-privacy=Panel: GDPR, Badges and Attendee Privacy
    green-events=Panel: Greener Events, Greener Data Centres
  `),
  talk: topics(`
    event-sourcing=Event Sourcing Without the Regret
    clocks=Clocks Lie: Time in Distributed Systems
    idempotency=Idempotency Keys, Explained with Coffee Orders
    unicode-names=Ñ, Ø, 王: Unicode Names in the Wild
    checkin-queues=Designing Queues for Conference Check-in
    strict-ts=Living with noUncheckedIndexedAccess
    feature-flags=Feature Flags at the Edge
    sync-engines=Anatomy of a Sync Engine
    observability-budget=Observability on a Budget
    monorepos=Monorepos: The Good Parts
    testing-trapezoid=The Testing Pyramid Is a Trapezoid
    at-least-once=Message Buses and At-Least-Once Delivery
    qr-codes=Everything You Never Wanted to Know About QR Codes
    tail-latency=Tail Latency for Humans
    cascade-layers=CSS Cascade Layers in Production
    dx=Developer Experience Is a Product
    incident-reviews=Blameless Incident Reviews That Change Things
    capacity-planning=Capacity Planning for Ticket Sales
    rate-limiting=Rate Limiting, Fairly
    mobile-sync=Offline Mobile Apps That Sync Correctly
    i18n=Internationalisation Beyond Translation
    rust-for-ts=Rust for TypeScript Developers
    sqlite-edge=SQLite at the Edge
    payments=Payments Without Double Charges
    fuzzy-search=Fuzzy Search for Attendee Names
    green-software=Measuring the Carbon Cost of Your Code
    legacy=Strangling a Legacy Monolith, Kindly
    api-versioning=API Versioning Without Tears
    crdts-diagrams=CRDTs in Five Diagrams
    overbooking=Overbooking: What Airlines Know About Risk
  `),
};

// ───────────────────────────── Generator ─────────────────────────────

const START = Date.UTC(2026, 11, 1);
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ'; // no 0/O, 1/I/L, U

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
const dateOf = (day: number): Date => new Date(START + day * 86_400_000);
const isoDate = (day: number): string => dateOf(day).toISOString().slice(0, 10);
/** Europe/Lisbon is on WET (UTC+00:00) all of December, the only month the demo uses. */
const isoTime = (day: number, minutes: number): string =>
  `${isoDate(day)}T${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}:00+00:00`;

function check(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max)
    throw new RangeError(`${name} must be an integer from ${min} to ${max} (got ${String(value)})`);
  return value;
}

type Tier =
  | 'sold-out'
  | 'left-1'
  | 'left-2'
  | 'left-3'
  | 'left-10pct'
  | 'left-under-10pct'
  | 'left-over-10pct'
  | 'half'
  | 'normal';

interface Planned {
  session: ConferenceFile['sessions'][number];
  kind: Kind;
  day: number;
  /** Index of the time slot across the whole conference; -1 for keynotes. */
  slot: number;
  target: number;
}

function planSessions(rng: Rng, days: number, count: number): Planned[] {
  const keynotes = Math.min(count, days + 1);
  const track = count - keynotes;
  const pairs = days * SLOTS.length;
  const orders = Array.from({ length: pairs }, () => pick(rng, ROOM_ORDERS));
  const pools = {
    keynote: shuffled(rng, TITLES.keynote),
    workshop: shuffled(rng, TITLES.workshop),
    panel: shuffled(rng, TITLES.panel),
    talk: shuffled(rng, TITLES.talk),
  };
  const used = { keynote: 0, workshop: 0, panel: 0, talk: 0 };
  const title = (kind: Kind): [string, string] => {
    const pool = pools[kind];
    const n = used[kind]++;
    const [s, t] = pool[n % pool.length] ?? ['session', 'Session'];
    const round = Math.floor(n / pool.length);
    return round === 0 ? [s, t] : [`${s}-${round + 1}`, `${t} (Part ${round + 1})`];
  };

  const planned: Planned[] = [];
  const ids = new Set<string>();
  const add = (
    kind: Kind,
    day: number,
    slot: number,
    room: Room,
    from: number,
    to: number,
    sellable: boolean,
    id?: string,
  ) => {
    const [s, t] = title(kind);
    const base = id ?? `s-d${day + 1}-${kind}-${s}`;
    let sessionId = base;
    for (let n = 2; ids.has(sessionId); n++) sessionId = `${base}-${n}`;
    ids.add(sessionId);
    planned.push({
      session: {
        id: sessionId,
        title: kind === 'keynote' ? `${id?.endsWith('closing') ? 'Closing Keynote' : 'Keynote'}: ${t}` : t,
        room: room.name,
        startsAt: isoTime(day, from),
        endsAt: isoTime(day, to),
        capacity: room.capacity,
        sellable,
      },
      kind,
      day,
      slot,
      target: 0,
    });
  };

  // Keynotes: one opening each day, one closing on the last day; in the main hall, included in every ticket.
  for (let k = 0; k < keynotes; k++) {
    const closing = k === days;
    const day = closing ? days - 1 : k;
    const [from, to] = closing ? CLOSING : OPENING;
    add('keynote', day, -1, MAIN_HALL, from, to, false, `s-d${day + 1}-keynote-${closing ? 'closing' : 'opening'}`);
  }
  // Track sessions: round-robin over (day, slot), each slot filling its rooms in its own order.
  const cells: { pair: number; rank: number }[] = [];
  for (let k = 0; k < track; k++) cells.push({ pair: k % pairs, rank: Math.floor(k / pairs) });
  cells.sort((a, b) => a.pair - b.pair || a.rank - b.rank);
  for (const { pair, rank } of cells) {
    const order = orders[pair] ?? ROOM_ORDERS[0];
    const key = order[rank];
    const extra = rank - order.length;
    const room: Room = key
      ? (ROOMS[key] ?? MAIN_HALL)
      : {
          name: `Room ${extra + 7}`,
          capacity: EXTRA_ROOM_CAPS[extra % EXTRA_ROOM_CAPS.length] ?? 60,
          kinds: extra % EXTRA_ROOM_CAPS.length === 2 ? ['workshop'] : ['talk', 'panel'],
        };
    const kind = pick(rng, room.kinds);
    const day = Math.floor(pair / SLOTS.length);
    const [from, end] = SLOTS[pair % SLOTS.length] ?? SLOTS[0] ?? [600, 690];
    const to = Math.min(end, from + (kind === 'keynote' ? 45 : DURATION[kind]));
    add(kind, day, pair, room, from, to, true);
  }
  planned.sort((a, b) => a.session.startsAt.localeCompare(b.session.startsAt) || a.slot - b.slot);

  // Seat targets: a few sessions sold out or nearly full, some at the 10 % policy threshold, some half empty.
  const sellable = shuffled(
    rng,
    planned.filter((p) => p.session.sellable),
  );
  const workshopsFirst = [
    ...sellable.filter((p) => p.kind === 'workshop'),
    ...sellable.filter((p) => p.kind !== 'workshop'),
  ];
  const tiers = new Map<Planned, Tier>();
  const assign = (tier: Tier, from: Planned[], ok: (p: Planned) => boolean = () => true) => {
    const p = from.find((x) => !tiers.has(x) && ok(x));
    if (p) tiers.set(p, tier);
  };
  assign('sold-out', workshopsFirst);
  assign('sold-out', sellable, (p) => p.kind !== 'workshop');
  for (const t of ['left-1', 'left-2', 'left-3'] as const) assign(t, sellable);
  const tens = (p: Planned) => p.session.capacity % 10 === 0 && p.session.capacity >= 40;
  assign('left-10pct', sellable, tens);
  assign('left-10pct', sellable, tens);
  assign('left-under-10pct', sellable, tens);
  assign('left-over-10pct', sellable, tens);
  const halves = Math.max(1, Math.round(sellable.length * 0.2));
  for (let k = 0; k < halves; k++) assign('half', sellable);
  for (const p of sellable) {
    const cap = p.session.capacity;
    const tier = tiers.get(p) ?? 'normal';
    const left =
      tier === 'sold-out'
        ? 0
        : tier === 'left-1'
          ? 1
          : tier === 'left-2'
            ? 2
            : tier === 'left-3'
              ? 3
              : tier === 'left-10pct'
                ? cap / 10
                : tier === 'left-under-10pct'
                  ? cap / 10 - 1
                  : tier === 'left-over-10pct'
                    ? cap / 10 + 1
                    : tier === 'half'
                      ? Math.round(cap * (0.45 + rng() * 0.15))
                      : Math.round(cap * (0.2 + rng() * 0.65));
    p.target = Math.max(0, Math.min(cap, cap - Math.round(left)));
  }
  return planned;
}

interface TicketPlan {
  type: ConferenceFile['ticketTypes'][number];
  weight: number;
  /** The one day a day pass is good for; undefined for every-day tickets. */
  day?: number;
  role: 'attendee' | 'speaker' | 'sponsor' | 'student';
}

function planTickets(days: number): TicketPlan[] {
  const plans: TicketPlan[] = [
    { type: { id: 'full', name: 'Full Pass', badgeTemplate: 'standard' }, weight: 60, role: 'attendee' },
  ];
  for (let d = 0; d < days; d++) {
    plans.push({
      type: {
        id: `day-${d + 1}`,
        // "Day 2", not a date: the demo is moved to the station's current days (core/calendar.ts), the name is not.
        name: `Day Pass — Day ${d + 1}`,
        badgeTemplate: 'standard',
        badgeLabel: 'Day pass',
        days: [d + 1],
      },
      weight: 16 / days,
      day: d,
      role: 'attendee',
    });
  }
  plans.push(
    { type: { id: 'student', name: 'Student Pass', badgeTemplate: 'standard' }, weight: 12, role: 'student' },
    { type: { id: 'speaker', name: 'Speaker', badgeTemplate: 'speaker' }, weight: 3, role: 'speaker' },
    {
      type: { id: 'sponsor', name: 'Sponsor Staff', badgeTemplate: 'sponsor', badgeLabel: 'Sponsor' },
      weight: 6,
      role: 'sponsor',
    },
  );
  return plans;
}

const PARTICLES = new Set([
  'da',
  'de',
  'do',
  'dos',
  'das',
  'di',
  'du',
  'van',
  'von',
  'der',
  'den',
  'zu',
  'und',
  'la',
  'le',
]);
const emailKey = (ascii: string, joiner: string): string =>
  asciiFold(ascii)
    .replace(/['’]/g, '')
    .split(/\s+/)
    .filter((w) => w && !PARTICLES.has(w))
    .map((w) => w.replace(/[^a-z0-9-]+/g, '').replace(/^-+|-+$/g, ''))
    .filter(Boolean)
    .join(joiner);

export function generateConference(opts: GenerateOptions = {}): ConferenceFile {
  const seed = check('seed', opts.seed ?? defaults.seed, 0, 0xffffffff);
  const count = check('registrants', opts.registrants ?? defaults.registrants, 0, 1_000_000);
  const days = check('days', opts.days ?? defaults.days, 1, 14);
  const sessionCount = check('sessions', opts.sessions ?? defaults.sessions, 1, 10_000);

  const planned = planSessions(stream(seed, 1), days, sessionCount);
  const tickets = planTickets(days);
  const ticketWeights = tickets.map((t) => [t, t.weight] as const);
  const cultureWeights = CULTURES.map((c) => [c, c.weight] as const);
  const companyDomains = new Map<string, string>(COMPANIES.map((c) => [c, companyDomain(c)]));

  // People.
  const rng = stream(seed, 2);
  const featuredAt = new Map<number, number>();
  const spots = shuffled(
    stream(seed, 3),
    Array.from({ length: Math.min(count, 2000) }, (_, i) => i),
  );
  FEATURED.forEach((_, k) => {
    const at = spots[k];
    if (at !== undefined) featuredAt.set(at, k);
  });
  const emails = new Set<string>();
  const codes = new Set<string>();
  const width = Math.max(5, String(count).length);
  const registrants: ConferenceFile['registrants'] = new Array(count);
  const ticketOf = new Array<TicketPlan>(count);
  const personOf = new Array<{ culture: string; female: boolean; preferred?: string; country?: string }>(count);

  for (let i = 0; i < count; i++) {
    const ticket = weighted(rng, ticketWeights);
    ticketOf[i] = ticket;
    const culture = weighted(rng, cultureWeights);
    const female = rng() < 0.5;
    personOf[i] = { culture: culture.key, female };
    const native = culture.native && rng() < culture.native.share ? culture.native : undefined;
    const src = native ?? culture;
    const first = pick(rng, female ? src.female : src.male);
    const lastPair = pick(rng, src.last);
    let last: Name = female ? lastPair[1] : lastPair[0];
    if (!native && culture.doubleLast && rng() < culture.doubleLast) {
      const second = pick(rng, culture.last);
      const s = female ? second[1] : second[0];
      if (s.text !== last.text) last = { text: `${last.text} ${s.text}`, ascii: `${last.ascii} ${s.ascii}` };
    }
    if (culture.mononym && rng() < culture.mononym) last = { text: '', ascii: '' };
    let firstName = first.text;
    let lastName = last.text;
    let firstAscii = first.ascii;
    let lastAscii = last.ascii;
    const f = featuredAt.get(i);
    const feat = f === undefined ? undefined : FEATURED[f];
    if (feat) {
      firstName = feat.first;
      lastName = feat.last;
      [firstAscii, lastAscii] = feat.ascii ?? [feat.first, feat.last];
      if (feat.preferred) personOf[i]!.preferred = feat.preferred;
      personOf[i]!.country = feat.country;
    }

    // Company and email.
    let company: string;
    let domain: string;
    const r = rng();
    if (ticket.role === 'sponsor') {
      company = pick(rng, SPONSORS);
      domain = companyDomains.get(company) ?? 'example.com';
    } else if (ticket.role === 'student') {
      const [uni, uniDomain] = pick(rng, UNIVERSITIES);
      company = uni;
      domain = r < 0.7 ? uniDomain : pick(rng, PERSONAL_DOMAINS);
    } else if (r < 0.06) {
      company = '';
      domain = pick(rng, PERSONAL_DOMAINS);
    } else {
      company = pick(rng, COMPANIES);
      domain = r < 0.7 ? (companyDomains.get(company) ?? 'example.com') : pick(rng, PERSONAL_DOMAINS);
    }
    const fk = emailKey(firstAscii, '') || emailKey(lastAscii, '') || 'guest';
    const lk = emailKey(lastAscii, '-');
    const style = rng();
    const local = (
      !lk
        ? fk
        : style < 0.6
          ? `${fk}.${lk}`
          : style < 0.8
            ? `${fk.slice(0, 1)}${lk}`
            : style < 0.9
              ? `${fk}_${lk}`
              : `${lk}.${fk}`
    ).slice(0, 56);
    let email = `${local}@${domain}`;
    for (let n = 2; emails.has(email); n++) email = `${local}${n}@${domain}`;
    emails.add(email);

    let code: string;
    do {
      code = 'LDC-';
      for (let k = 0; k < 6; k++) code += CODE_ALPHABET[int(rng, CODE_ALPHABET.length)];
    } while (codes.has(code));
    codes.add(code);

    registrants[i] = {
      id: `r-${pad(i + 1, width)}`,
      confirmationCode: code,
      firstName,
      lastName,
      email,
      company,
      ticketTypeId: ticket.type.id,
      sessions: [],
    };
  }

  // Seats: per time slot, hand disjoint random sets of eligible registrants to the sessions in that slot,
  // so nobody holds two overlapping sessions and day passes only hold seats on their day.
  const seats = stream(seed, 4);
  const eligible: Int32Array[] = [];
  for (let d = 0; d < days; d++) {
    const ids: number[] = [];
    for (let i = 0; i < count; i++) {
      const day = ticketOf[i]?.day;
      if (day === undefined || day === d) ids.push(i);
    }
    eligible.push(Int32Array.from(ids));
  }
  const bySlot = new Map<number, Planned[]>();
  for (const p of planned)
    if (p.session.sellable && p.slot >= 0) bySlot.set(p.slot, [...(bySlot.get(p.slot) ?? []), p]);
  for (const slot of [...bySlot.keys()].sort((a, b) => a - b)) {
    const group = bySlot.get(slot) ?? [];
    const pool = eligible[group[0]?.day ?? 0] ?? new Int32Array(0);
    const wanted = group.reduce((s, p) => s + p.target, 0);
    const scale = wanted > pool.length ? pool.length / wanted : 1;
    const work = pool.slice();
    let next = 0;
    for (const p of group) {
      const take = Math.floor(p.target * scale);
      for (let k = 0; k < take; k++, next++) {
        const j = next + int(seats, work.length - next);
        const who = work[j] ?? 0;
        work[j] = work[next] ?? 0;
        work[next] = who;
        registrants[who]?.sessions.push(p.session.id);
      }
    }
  }

  addBadgeFields(registrants, personOf, stream(seed, 5));
  assignSpeakers(registrants, ticketOf, planned, stream(seed, 6));

  return {
    format: 'lanyard.conference/1',
    conference: {
      id: 'ldc26',
      name: 'Lanyard Demo Conf 2026',
      timezone: 'Europe/Lisbon',
      startsOn: isoDate(0),
      endsOn: isoDate(days - 1),
      logo: DEMO_LOGO,
    },
    sessions: planned.map((p) => p.session),
    ticketTypes: tickets.map((t) => t.type),
    registrants,
  };
}

// ───────────────────────────── Badge fields ─────────────────────────────
// Their own PRNG streams: adding them changed no name, email, code or seat of the people generated before.

/** The demo's logo: a tile (Lisbon's azulejos) drawn with shapes only, so it looks the same on every machine. */
const DEMO_LOGO = `data:image/svg+xml;base64,${Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="240" height="240" viewBox="0 0 24 24">' +
    '<rect x="0.5" y="0.5" width="23" height="23" rx="3" fill="#0b3d91"/>' +
    '<path d="M12 3 L21 12 L12 21 L3 12 Z" fill="none" stroke="#fff" stroke-width="1.6"/>' +
    '<circle cx="12" cy="12" r="3.2" fill="#f4b400"/>' +
    '<path d="M3 3 h4 M3 3 v4 M21 3 h-4 M21 3 v4 M3 21 h4 M3 21 v-4 M21 21 h-4 M21 21 v-4" stroke="#fff" stroke-width="1.2"/>' +
    '</svg>',
).toString('base64')}`;

const COUNTRY: Record<string, string> = {
  pt: 'PT',
  es: 'ES',
  de: 'DE',
  fr: 'FR',
  pl: 'PL',
  nordic: 'NO',
  en: 'GB',
  it: 'IT',
  nl: 'NL',
  tr: 'TR',
  vi: 'VN',
  zh: 'CN',
  ja: 'JP',
  ko: 'KR',
  in: 'IN',
  ar: 'EG',
  ng: 'NG',
  gr: 'GR',
  cz: 'CZ',
  ua: 'UA',
  id: 'ID',
};
const NICKNAMES: Record<string, string> = {
  William: 'Bill',
  Robert: 'Bob',
  Elizabeth: 'Liz',
  Alexander: 'Alex',
  Katharina: 'Kathi',
  Margarida: 'Guida',
  Francisca: 'Kika',
  Jonathan: 'Jon',
  Michael: 'Mike',
  Christopher: 'Chris',
  Alessandro: 'Sandro',
  Aleksandra: 'Ola',
};
const DIETS = ['Vegetarian', 'Vegan', 'Halal', 'Kosher', 'Gluten-free', 'Nut allergy'];
const ACCESS = ['Step-free access', 'Sign language', 'Hearing loop', 'Large print'];

function addBadgeFields(
  registrants: ConferenceFile['registrants'],
  people: { culture: string; female: boolean; preferred?: string; country?: string }[],
  rng: Rng,
): void {
  registrants.forEach((r, i) => {
    const p = people[i]!;
    const nick = NICKNAMES[r.firstName];
    const preferred = p.preferred ?? (nick && rng() < 0.5 ? nick : undefined);
    if (preferred) r.preferredName = preferred;
    if (rng() < 0.35) r.pronouns = rng() < 0.06 ? 'they/them' : p.female ? 'she/her' : 'he/him';
    const country = p.country ?? COUNTRY[p.culture];
    if (country) r.country = country;
    if (rng() < 0.08) r.dietary = pick(rng, DIETS);
    if (rng() < 0.02) r.accessibility = pick(rng, ACCESS);
  });
}

/**
 * Who speaks where: every keynote, talk and workshop gets a speaker, every panel a moderator and two panellists,
 * drawn from the people on a Speaker ticket who hold no seat at the same time.
 */
function assignSpeakers(
  registrants: ConferenceFile['registrants'],
  tickets: TicketPlan[],
  planned: Planned[],
  rng: Rng,
): void {
  const byId = new Map(planned.map((p) => [p.session.id, p.session]));
  const pool = shuffled(
    rng,
    registrants.filter((_, i) => tickets[i]?.role === 'speaker'),
  );
  if (pool.length === 0) return;
  const busy = (r: ConferenceFile['registrants'][number], s: ConferenceFile['sessions'][number]) =>
    [...r.sessions, ...(r.sessionRoles ?? []).map((x) => x.sessionId)].some((id) => {
      const o = byId.get(id);
      return o !== undefined && o.startsAt < s.endsAt && s.startsAt < o.endsAt;
    });
  let next = 0;
  for (const p of planned) {
    const roles: ('speaker' | 'moderator')[] = p.kind === 'panel' ? ['moderator', 'speaker', 'speaker'] : ['speaker'];
    for (const role of roles) {
      for (let tries = 0; tries < pool.length; tries++) {
        const r = pool[next++ % pool.length]!;
        if (busy(r, p.session)) continue;
        (r.sessionRoles ??= []).push({ sessionId: p.session.id, role });
        break;
      }
    }
  }
}

// ───────────────────────────── Reporting and output ─────────────────────────────

export interface SessionFill {
  id: string;
  title: string;
  capacity: number;
  held: number;
  left: number;
}

/** Seats held per sellable session, in programme order. */
export function sessionFill(file: ConferenceFile): SessionFill[] {
  const held = new Map<string, number>();
  for (const r of file.registrants) for (const s of r.sessions) held.set(s, (held.get(s) ?? 0) + 1);
  return file.sessions
    .filter((s) => s.sellable)
    .map((s) => {
      const h = held.get(s.id) ?? 0;
      return { id: s.id, title: s.title, capacity: s.capacity, held: h, left: s.capacity - h };
    });
}

/** Human-readable lines about the sessions at or below 10 % left (the policy's overdraft threshold). */
export function describeNotable(file: ConferenceFile): string[] {
  const fills = sessionFill(file);
  const tight = fills
    .filter((f) => f.left <= f.capacity * 0.1 + 1)
    .sort((a, b) => a.left / a.capacity - b.left / b.capacity);
  const half = fills.filter((f) => f.held <= f.capacity / 2).length;
  const lines = tight.map((f) => {
    const state =
      f.left <= 0
        ? 'SOLD OUT'
        : f.left <= 3
          ? 'nearly full'
          : f.left * 10 < f.capacity
            ? 'under 10% left'
            : f.left * 10 === f.capacity
              ? 'exactly 10% left'
              : 'just over 10% left';
    const pct = `${((100 * f.left) / f.capacity).toFixed(1)}%`;
    return `${f.id.padEnd(36)} ${String(f.held).padStart(3)}/${String(f.capacity).padEnd(3)} ${String(f.left).padStart(3)} left (${pct.padStart(5)})  ${state}`;
  });
  return [...lines, `${half} of ${fills.length} sellable sessions are at most half full.`];
}

/** JSON with the programme indented and one registrant per line: diff-friendly and compact. */
export function serializeConference(file: ConferenceFile): string {
  const { registrants, ...head } = file;
  const top = JSON.stringify(head, null, 2);
  const body =
    registrants.length === 0 ? '[]' : `[\n${registrants.map((r) => `    ${JSON.stringify(r)}`).join(',\n')}\n  ]`;
  return `${top.slice(0, -2)},\n  "registrants": ${body}\n}\n`;
}

export const defaultOut = fileURLToPath(new URL('../../assets/demo-conference.json', import.meta.url));

const USAGE =
  'usage: tsx tools/demo-data/generate.ts [--registrants N] [--seed S] [--sessions N] [--days N] [--out FILE]';

export function parseArgs(argv: readonly string[]): GenerateOptions & { out: string } {
  const opts: GenerateOptions & { out: string } = { out: defaultOut };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const eq = arg.indexOf('=');
    const flag = eq >= 0 ? arg.slice(0, eq) : arg;
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '') throw new Error(`${flag} needs a value`);
    const num = () => {
      if (!/^\d+$/.test(value)) throw new Error(`${flag} must be a whole number (got "${value}")`);
      return Number(value);
    };
    switch (flag) {
      case '--registrants':
        opts.registrants = num();
        break;
      case '--seed':
        opts.seed = num();
        break;
      case '--sessions':
        opts.sessions = num();
        break;
      case '--days':
        opts.days = num();
        break;
      case '--out':
        opts.out = resolve(value);
        break;
      default:
        throw new Error(`unknown argument "${arg}"`);
    }
  }
  return opts;
}

function main(argv: readonly string[]): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  let file: ConferenceFile;
  let out: string;
  try {
    const { out: o, ...opts } = parseArgs(argv);
    out = o;
    file = generateConference(opts);
  } catch (e) {
    console.error(`demo-data: ${e instanceof Error ? e.message : String(e)}\n${USAGE}`);
    return 2;
  }
  const text = serializeConference(file);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, text);
  console.error(
    `demo-data: wrote ${out} (${file.sessions.length} sessions, ${file.registrants.length} registrants, ${(Buffer.byteLength(text) / 1024).toFixed(0)} KiB)`,
  );
  console.error('Sessions at or near the 10% threshold:');
  for (const line of describeNotable(file)) console.error(`  ${line}`);
  return 0;
}

const invokedAs = process.argv[1];
if (invokedAs && resolve(invokedAs) === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
