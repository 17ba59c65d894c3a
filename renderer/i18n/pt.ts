/** Every word a screen shows, in European Portuguese (the demo conference is in Lisbon). Same shape as en.ts. */
import type { FailedCondition } from '../../core/policy';
import type { Words } from './en';

const pct = (r: number) => `${(Math.round(r * 1000) / 10).toString().replace('.', ',')}%`;
/** "qua, 2/12" for a YYYY-MM-DD day (noon UTC, so the weekday is that date's in every zone). */
const dayWords = (date: string) =>
  new Date(`${date}T12:00:00Z`).toLocaleDateString('pt-PT', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  });
/** A decimal number the Portuguese way (0,42). */
const fmt = (x: number) => String(x).replace('.', ',');
const mins = (m: number) =>
  m < 1 ? 'menos de um minuto' : m < 120 ? `${Math.round(m)} min` : `${(m / 60).toFixed(1).replace('.', ',')} h`;

export const pt: Words = {
  lang: { name: 'Português', label: 'Idioma' },
  common: {
    back: 'Voltar',
    cancel: 'Cancelar',
    close: 'Fechar',
    done: 'Concluído',
    retry: 'Tentar de novo',
    loading: 'A carregar…',
    yes: 'Sim',
    no: 'Não',
    search: 'Pesquisar',
    reason: 'Motivo',
    save: 'Guardar',
    signIn: 'Entrar',
    signOut: 'Sair',
    signedInAs: (name: string) => `Sessão iniciada: ${name}`,
    staffMember: 'Membro da equipa',
    pin: 'PIN',
    chooseStaff: 'Escolha o seu nome',
    signInTitle: 'Entrada da equipa',
    signInLead: 'Entre com o seu PIN para usar este posto.',
    noStaff:
      'Ainda não há equipa neste posto. Um supervisor adiciona-a na linha de comandos: npm run station -- --db FICHEIRO staff-add …',
    time: (iso: string) => new Date(iso).toLocaleTimeString('pt-PT', { hour: '2-digit', minute: '2-digit' }),
    stationName: (origin: string) => origin.replace(/^station:/, ''),
  },
  header: {
    modes: {
      kiosk: 'Quiosque de crachás',
      desk: 'Balcão de registo',
      door: 'Controlo de entrada',
      supervisor: 'Supervisão',
    },
    station: (id: string) => `Posto ${id}`,
    link: {
      online: 'Ligado',
      offline: 'Sem ligação',
      connecting: 'A ligar…',
      degraded: 'Ligação instável',
      alone: 'A trabalhar sozinho',
    },
    hqAge: (m: number) => `Números da sede de há ${mins(m)}`,
    hqUnknown: 'Números da sede: idade desconhecida',
    waiting: (n: number) => (n === 0 ? 'Tudo enviado' : `${n} ${n === 1 ? 'evento' : 'eventos'} por enviar`),
    screenLost: 'Este ecrã perdeu a ligação ao posto. A religar…',
  },
  staleness: {
    never_synced: 'este posto ainda não teve notícias da sede',
    restarted: 'o posto reiniciou desde o último contacto com a sede',
    clock_moved_backwards: 'o relógio do computador recuou desde o último contacto com a sede',
    suspended: 'o computador esteve suspenso desde o último contacto com a sede',
    invalid_reading: 'as leituras do relógio não são válidas',
  },
  errors: {
    invalid_input: 'Alguns dados não são válidos.',
    not_found: 'Não encontrado neste posto.',
    conflict: 'Isso não pode ser feito agora.',
    refused: 'A venda foi recusada.',
    unauthorized: 'Entre primeiro com o seu PIN.',
    locked_out: 'Demasiados PIN errados: esta conta está bloqueada por alguns minutos.',
    forbidden: 'Este posto ou a sua função não permitem isso.',
    busy: 'O posto está ocupado com outro programa; nada foi guardado. Tente de novo dentro de momentos.',
    damaged: 'A base de dados do posto está danificada: nada mais pode ser guardado aqui. Chame um supervisor.',
    internal: 'Algo correu mal; nada foi guardado.',
  },
  wrongPin: (left: number) => `PIN errado. ${left === 1 ? 'Resta 1 tentativa' : `Restam ${left} tentativas`}.`,
  lockedUntil: (time: string) => `Bloqueado após demasiados PIN errados. Tente de novo depois das ${time}.`,
  failed: (f: FailedCondition): string => {
    switch (f.code) {
      case 'invalid_numbers':
        return f.what === 'seats'
          ? 'Os números de lugares desta sessão ainda não são válidos: sincronize com a sede.'
          : 'As regras de venda desta sessão não são válidas: verifique a configuração.';
      case 'no_capacity':
        return 'Esta sessão não tem lugares.';
      case 'staleness_unknown':
        return `Sem venda offline: ${pt.staleness[f.reason]}.`;
      case 'too_stale':
        return `O último contacto com a sede foi há ${mins(f.minutes)}; vendas offline exigem contacto nos últimos ${mins(f.maxMinutes)}.`;
      case 'too_few_seats_left':
        return `Só ${f.free} de ${f.capacity} lugares (${pct(f.ratio)}) estavam livres na última sincronização; vendas offline exigem pelo menos ${pct(f.minRatio)}.`;
      case 'overdraft_limit_reached':
        return f.pending === 0
          ? `As vendas noutros postos desde a última sincronização (cerca de ${f.expectedElsewhere.toFixed(1).replace('.', ',')} lugares) não deixam margem segura.`
          : `Este balcão já tem ${f.pending} ${f.pending === 1 ? 'venda offline por confirmar' : 'vendas offline por confirmar'} nesta sessão; o limite agora é ${f.limit}.`;
      case 'session_ended':
        return `Esta sessão terminou às ${f.endsLocal} (há ${mins(f.minutesAgo)}).`;
      case 'session_not_today':
        return `Esta sessão é no dia ${f.sessionDay} (${dayWords(f.sessionDate)}), não hoje.`;
      case 'ticket_not_valid_that_day':
        return `${f.ticket} só é válido ${f.validDays.map((d) => `no dia ${d.day} (${dayWords(d.date)})`).join(', ')} — não no dia ${f.day} (${dayWords(f.date)}).`;
      case 'track_not_included':
        return `${f.ticket} só inclui ${f.tracks.length === 1 ? 'a área' : 'as áreas'} ${f.tracks.join(', ')}, não ${f.track}.`;
      case 'registration_inactive':
        return f.status === 'pending'
          ? `Inscrição pendente (não paga): receba o pagamento, ou um supervisor aceita-a.${f.note ? ` ${f.note}` : ''}`
          : `Inscrição ${f.status === 'cancelled' ? 'cancelada' : 'reembolsada'}: sem crachá e sem entrada.${f.note ? ` (${f.note})` : ''}`;
    }
  },
  kiosk: {
    welcome: 'Bem-vindo! Imprima o seu crachá',
    lead: 'Escreva o seu nome, e-mail ou código de confirmação — ou leia o código do e-mail de confirmação.',
    searchLabel: 'O seu nome, e-mail ou código de confirmação',
    keepTyping: 'Continue a escrever…',
    noResults: 'Ninguém encontrado. Verifique a grafia ou dirija-se ao balcão de registo.',
    results: (n: number) => `${n} ${n === 1 ? 'pessoa encontrada' : 'pessoas encontradas'}`,
    isThisYou: 'É você?',
    ticket: 'Bilhete',
    company: 'Empresa',
    print: 'Imprimir o meu crachá',
    notMe: 'Não sou eu — voltar',
    preview: (name: string) => `Pré-visualização do crachá de ${name}`,
    printing: 'A imprimir o seu crachá…',
    takeBadge: 'Retire o seu crachá da impressora',
    enjoy: 'Boa conferência!',
    failedTitle: 'A impressora não conseguiu imprimir o seu crachá',
    failedBody: 'Nada foi impresso. Dirija-se ao balcão de registo, por favor.',
    uncertainTitle: 'Não temos a certeza de que o crachá foi impresso',
    uncertainBody:
      'Aguarde aqui, por favor: alguém da equipa vai verificar a impressora. Não o imprimiremos duas vezes.',
    staffCheck: 'Equipa: verificar a impressora',
    didItPrint: 'O crachá saiu da impressora?',
    itPrinted: 'Sim, foi impresso',
    itDidNot: 'Não — imprimir de novo',
    alreadyTitle: 'O seu crachá já foi impresso',
    alreadyBody: (station: string, time: string) =>
      `Foi impresso em ${station} às ${time}. Para um novo, dirija-se ao balcão de registo.`,
    needsDesk: 'Este crachá precisa da equipa. Dirija-se ao balcão de registo, por favor.',
    goToDesk: 'Dirija-se ao balcão de registo, por favor.',
    startOver: 'Recomeçar',
    stillThere: 'Ainda está aí? Este ecrã vai recomeçar dentro de momentos.',
  },
  desk: {
    tabs: {
      find: 'Procurar e imprimir',
      walkup: 'Inscrição no local',
      sessions: 'Sessões',
      queue: 'Fila de impressão',
      alerts: 'Alertas',
    },
    searchLabel: 'Nome, e-mail ou código de confirmação',
    selectHint: 'Procure alguém, ou leia o crachá ou o código de confirmação.',
    code: 'Código de confirmação',
    email: 'E-mail',
    company: 'Empresa',
    ticket: 'Bilhete',
    sessionsOf: 'Sessões',
    noSessions: 'Nenhuma sessão além do bilhete.',
    badge: 'Crachá',
    notPrinted: 'Ainda não impresso',
    printedAt: (station: string, time: string) => `Impresso em ${station} às ${time}`,
    printBadge: 'Imprimir crachá',
    reprint: 'Reimprimir (o antigo deixa de valer)',
    reprintReasons: [
      'Crachá perdido',
      'Crachá danificado',
      'Nome mal escrito',
      'Impresso duas vezes em dois quiosques',
    ],
    otherReason: 'Outro motivo',
    reasonNeeded: 'Indique o motivo da reimpressão.',
    addSession: 'Adicionar sessão',
    release: 'Libertar lugar',
    releaseReason: 'Porque é libertado o lugar?',
    released: 'Lugar libertado.',
    jobOutcome: {
      queued: 'Em fila',
      sending: 'A imprimir…',
      printed: 'Impresso',
      failed: 'Falhou — nada impresso',
      uncertain: 'Incerto — verifique a impressora',
    },
    walkup: {
      title: 'Inscrever no local',
      first: 'Nome próprio',
      last: 'Apelido',
      email: 'E-mail (opcional)',
      company: 'Empresa (opcional)',
      ticket: 'Tipo de bilhete',
      register: 'Inscrever',
      nameNeeded: 'Indique o nome próprio ou o apelido.',
      emailInvalid: 'Verifique o e-mail (ou deixe-o em branco).',
      done: (name: string) => `${name} ficou inscrito.`,
      price: (amount: string) => `Preço: ${amount}`,
      payment: 'Pago com',
      methods: { cash: 'Dinheiro', card: 'Cartão', invoice: 'Fatura', complimentary: 'Oferta' },
      reference: 'Referência do terminal ou da fatura',
      compReason: 'Porquê oferta (quem autorizou)',
      duplicateTitle: 'Pode ser alguém já inscrito:',
      registerAnyway: 'É outra pessoa: inscrever na mesma',
    },
    state: {
      status: { paid: 'Pago', pending: 'Pendente: não pago', cancelled: 'Cancelado', refunded: 'Reembolsado' },
      printed: 'Crachá impresso',
      needsReprint: 'Reimprimir',
      checkedIn: 'Entrou',
    },
    correct: {
      open: 'Corrigir dados',
      title: 'Corrigir a inscrição',
      save: 'Guardar correção',
      reason: 'Porquê (opcional)',
      saved: 'Corrigido. Enviado para a sede e para os outros postos.',
    },
    sessions: {
      title: 'Sessões à venda',
      for: (name: string) => `A adicionar uma sessão a ${name}`,
      pickPerson: 'Escolha primeiro uma pessoa (Procurar e imprimir) para lhe vender um lugar.',
      seatsLeft: (left: number, cap: number) => `${left} de ${cap} lugares livres`,
      inHand: (n: number) => `${n} nas mãos deste balcão`,
      fromHq: (age: string) => `Números da sede ${age}`,
      ago: (m: number) => `de há ${mins(m)}`,
      imported: 'da importação (a sede ainda não enviou números)',
      starts: (time: string, room: string) => `${time} · ${room}`,
      choose: 'Escolher',
      preview: 'Antes de vender',
      tier: {
        online: 'Com ligação: a sede decide agora (alguns segundos).',
        allotment: 'Dos lugares nas mãos deste balcão: sem risco.',
        overdraft: 'Venda offline dentro do limite seguro: em risco até a sede confirmar.',
        override: 'Autorização do supervisor: em risco até a sede confirmar.',
      },
      refusedTitle: 'Este balcão não pode vender este lugar agora:',
      sell: 'Vender lugar',
      override: 'Autorização do supervisor',
      overrideLead: 'Um supervisor pode vender na mesma. Os motivos ficam registados.',
      supervisor: 'Supervisor',
      outcome: {
        hq_confirmed: 'Vendido: a sede confirmou o lugar.',
        allotment: 'Vendido dos lugares nas mãos deste balcão.',
        overdraft: 'Vendido offline, dentro do limite seguro. Em risco até a sede confirmar.',
        override: 'Vendido com autorização do supervisor. Em risco até a sede confirmar.',
        no_verdict_allotment: 'A sede não respondeu a tempo; vendido dos lugares nas mãos deste balcão.',
        no_verdict_overdraft: 'A sede não respondeu a tempo; vendido dentro do limite seguro (em risco).',
        no_verdict_not_covered:
          'A sede ainda não respondeu e este balcão não pode vender sozinho. Aguarde, ou cancele a venda.',
        oversold: 'A sede diz que a sessão está cheia: o lugar não existia. Nada foi vendido.',
        cancelled: 'A venda foi cancelada.',
      },
      waitHq: 'Aguardar a sede',
      cancelSale: 'Cancelar a venda',
      confirmedLater: 'A sede confirmou o lugar.',
      oversoldLater: 'A sede diz que a sessão estava cheia: foi aberto um caso para um supervisor.',
    },
    queue: {
      title: 'Fila de impressão',
      empty: 'Ainda não há trabalhos de impressão.',
      uncertainFirst: 'Trabalhos que podem ou não ter sido impressos — veja a impressora:',
      didItPrint: 'Foi impresso?',
      yesPrinted: 'Sim, foi impresso',
      noReprint: 'Não — imprimir de novo',
      job: (name: string, time: string) => `${name} · ${time}`,
    },
    alerts: {
      title: 'Alertas',
      none: 'Nada precisa de atenção.',
      cases: 'Vendas em excesso (casos para um supervisor)',
      overBy: (n: number) => `excesso de ${n}`,
      twice: 'Crachás impressos duas vezes enquanto os postos estavam separados',
      printedAtBoth: (a: string, at: string, b: string, bt: string) => `impresso em ${a} às ${at} e em ${b} às ${bt}`,
      reprintHint: 'Reimprima com um motivo para que só um crachá valha nas portas.',
    },
  },
  supervisor: {
    tabs: {
      printers: 'Impressoras',
      settings: 'Definições',
      imports: 'Importações',
      cases: 'Casos',
      board: 'Disponibilidade',
      sync: 'Sincronização',
      find: 'Procurar e imprimir',
      walkup: 'Inscrição no local',
      sessions: 'Sessões',
      queue: 'Fila de impressão',
    },
    cases: {
      title: 'Vendas em excesso',
      lead: 'Casos abertos primeiro, prazo mais próximo primeiro. Cada ação precisa do PIN de um supervisor e é decidida pela sede.',
      none: 'Nenhum caso aberto.',
      resolvedTitle: 'Resolvidos',
      noneResolved: 'Nenhum caso resolvido ainda.',
      soldBy: (who: string, station: string, time: string) =>
        `${who} comprou um lugar em ${station}; a sede abriu o caso às ${time}.`,
      soldHere: 'esta estação',
      tier: (t: string) => `Vendido como: ${t}`,
      tiers: {
        online: 'online (a sede decidiu)',
        allotment: 'de lugares reservados',
        overdraft: 'offline, dentro do limite seguro',
        override: 'autorização de supervisor',
      } as Record<string, string>,
      basis: (sold: number, cap: number, age: string) =>
        `O balcão via ${sold} de ${cap} lugares vendidos, números da sede ${age}.`,
      basisUnknown: 'O balcão não sabia a idade dos números da sede.',
      overBy: (n: number) => `Sede: a sessão tem ${n} a mais.`,
      due: (time: string, left: number) =>
        left >= 0 ? `Decidir até às ${time} (faltam ${Math.round(left)} min)` : `Em atraso desde as ${time}`,
      byDefault: (a: string) => `Se ninguém decidir, a sede vai: ${a}.`,
      escalated: 'Prazo próximo: todos os supervisores foram avisados.',
      actions: {
        honor: 'Manter (cadeira extra)',
        reverse: 'Anular a venda',
        waitlist: 'Passar à lista de espera',
        refuse: 'Recusar',
        move: 'Mudar para outra sessão',
      } as Record<string, string>,
      actionPast: {
        honor: 'mantido',
        reverse: 'anulado',
        waitlist: 'em lista de espera',
        refuse: 'recusado',
        move: 'mudado',
      } as Record<string, string>,
      actionTo: {
        honor: 'mantê-lo (cadeira extra)',
        reverse: 'anular a venda',
        waitlist: 'passá-lo à lista de espera',
        refuse: 'recusar o lugar',
        move: 'mudá-lo',
      } as Record<string, string>,
      moveTo: 'Mudar para',
      supervisor: 'Supervisor',
      pin: 'PIN do supervisor',
      note: 'Nota (opcional)',
      requested: (a: string, time: string, status: string) => `Esta estação pediu para ${a} às ${time}: ${status}.`,
      requestStatus: {
        pending: 'à espera da sede',
        won: 'a sede aplicou',
        lost: 'ganhou a decisão de outra estação',
        refused: 'a sede recusou',
      } as Record<string, string>,
      resolvedBy: (what: string, who: string, time: string) =>
        `${what.charAt(0).toUpperCase()}${what.slice(1)} por ${who} às ${time}`,
      outcome: {
        applied: 'Feito: a sede aplicou.',
        pending: 'Enviado. À espera da sede (outra estação pode decidir primeiro).',
        lost: 'Outra estação decidiu primeiro.',
        refused: 'A sede recusou.',
      } as Record<string, string>,
      exports: 'Exportações (CSV)',
      exportContacts: 'Descarregar contactos e reembolsos',
      exportCases: 'Descarregar todos os casos',
      waitlist: 'Lista de espera',
    },
    board: {
      title: 'Disponibilidade',
      lead: 'Todas as sessões, as que começam primeiro no topo. Barras: vendidos · reservados por estações · dos quais aqui · livres.',
      sold: 'vendidos',
      allotted: 'reservados por estações',
      here: 'reservados aqui',
      free: 'livres',
      over: (n: number) => `${n} A MAIS`,
      cases: (n: number) => `${n} ${n === 1 ? 'caso aberto' : 'casos abertos'}`,
      numbers: (sold: number, cap: number, allotted: number, here: number, free: number) =>
        `${sold}/${cap} vendidos · ${allotted} reservados (${here} aqui) · ${free} livres`,
      age: (m: number | null) => (m === null ? 'da importação' : `sede há ${mins(m)}`),
      included: 'incluída em todos os bilhetes',
      may: (t: string) => `Este balcão pode vender: ${t}`,
      mayNot: 'Este balcão não pode vender agora',
      phase: { upcoming: 'a seguir', running: 'a decorrer', over: 'terminada' } as Record<string, string>,
      pending: (n: number) => `${n} à espera da sede`,
    },
    sync: {
      title: 'Sincronização',
      history: 'A ligação, última hora',
      historyNone: 'A sincronização não está configurada nesta estação: trabalha sozinha.',
      states: { online: 'online', degraded: 'instável', connecting: 'a ligar', offline: 'offline' } as Record<
        string,
        string
      >,
      freshness: 'Frescura dos dados da sede',
      outbox: 'Por enviar',
      oldest: (m: number | null) => (m === null ? 'nada à espera' : `o mais antigo espera há ${mins(m)}`),
      drain: (sent: number, total: number) => `A enviar o atraso: ${sent} de ${total}`,
      inbox: (applied: number, q: number) => `Recebidas: ${applied} aplicadas, ${q} em quarentena`,
      quarantined: 'Mensagens em quarentena (dead-letter)',
      allotments: 'Lugares reservados por esta estação',
      noAllotments: 'Nenhum lugar reservado.',
      allotment: (title: string, left: number, seats: number) => `${title}: restam ${left} de ${seats}`,
      workOffline: 'Trabalhar offline',
      workOfflineHint: 'Deixa de enviar e receber até ser desligado; as vendas seguem as regras offline.',
    },
    imports: {
      title: 'Importações',
      lead: 'Um ficheiro de conferência (JSON), ou inscritos de outro sistema (CSV) com correspondência de colunas. Veja a pré-visualização antes de importar.',
      file: 'Ficheiro a importar',
      chosen: (name: string, kind: string) => `${name} (${kind})`,
      kindJson: 'ficheiro de conferência',
      kindCsv: 'inscritos, CSV',
      notJson: 'O ficheiro não é JSON válido',
      mappingTitle: 'Que coluna tem o quê?',
      missing: 'Ainda falta antes de importar:',
      fields: {
        id: 'Id do inscrito',
        confirmationCode: 'Código de confirmação',
        firstName: 'Nome próprio',
        lastName: 'Apelido',
        email: 'E-mail',
        company: 'Empresa',
        ticketTypeId: 'Tipo de bilhete',
        sessions: 'Sessões',
      } as Record<string, string>,
      need: {
        always: 'obrigatório',
        or_default: 'obrigatório (ou um valor por omissão)',
        optional: 'opcional',
      } as Record<string, string>,
      unmapped: '(não está neste ficheiro)',
      defaultTicket: 'Tipo de bilhete por omissão (novos inscritos)',
      previewCaption: 'As primeiras linhas, tal como seriam importadas',
      line: 'Linha',
      check: 'Seria',
      outcome: { insert: 'adicionado', update: 'atualizado', reject: 'rejeitado' } as Record<string, string>,
      run: 'Importar',
      reading: 'A enviar o ficheiro…',
      progress: (done: number, total: number) =>
        `A gravar ${done.toLocaleString('pt-PT')} de ${total.toLocaleString('pt-PT')}`,
      reportTitle: 'Importação terminada',
      report: (ins: number, upd: number, rej: number) =>
        `${ins.toLocaleString('pt-PT')} adicionados, ${upd.toLocaleString('pt-PT')} atualizados, ${rej.toLocaleString('pt-PT')} rejeitados.`,
      rejectedRow: (line: number, reason: string) => `Linha ${line}: ${reason}`,
    },
    settings: {
      title: 'Definições e configuração',
      station: 'Estação',
      mode: 'Modo',
      connection: 'Ligação ao Service Bus',
      noConnection: 'nenhuma: esta estação trabalha sozinha',
      printers: 'Impressoras',
      noPrinters: 'nenhuma configurada',
      database: 'Base de dados',
      integrity: { checking: 'a verificar…', ok: 'íntegra', damaged: 'DANIFICADA: veja o estado' } as Record<
        string,
        string
      >,
      testTitle: 'Testar uma connection string',
      connectionString: 'Connection string (do portal Azure)',
      test: 'Testar',
      testing: 'A testar…',
      testOk: 'Esta connection string funciona.',
      testFailed: 'Esta connection string não funciona.',
      notSaved: 'Um teste não grava nada: para a usar, cole-a abaixo e guarde.',
      policyTitle: 'Política de venda nesta estação',
      setting: 'Definição',
      value: 'Valor',
      from: 'Definido por',
      meaning: 'O que significa',
      source: { default: 'valor do Lanyard', conference: 'a conferência', station: 'esta estação' } as Record<
        string,
        string
      >,
      policy: {
        maxStalenessMin: {
          name: 'Tempo máximo sem a sede',
          words: (v: number) => `As vendas offline param ${v} minutos após a última notícia da sede.`,
        },
        minRemainingRatio: {
          name: 'Lugares que têm de sobrar',
          words: (v: number) =>
            `Uma venda offline precisa de pelo menos ${Math.round(v * 100)}% dos lugares livres na última sincronização.`,
        },
        alpha: {
          name: 'Risco aceite',
          words: (v: number) =>
            `Cada venda offline pode exceder a lotação com uma probabilidade de no máximo ${Math.round(v * 1000) / 10}%.`,
        },
        overdraftCap: {
          name: 'Vendas offline por sessão',
          words: (v: number) => `No máximo ${v} vendas offline por confirmar por sessão nesta estação.`,
        },
        verdictTimeoutMs: {
          name: 'Espera pela sede',
          words: (v: number) => `Online, uma venda espera ${v / 1000} s pela sede antes de decidir como offline.`,
        },
        allotmentCover: {
          name: 'Lugares reservados: cobertura',
          words: (v: number) =>
            `Os lugares reservados devem durar ${Math.round(v * 100)}% das falhas de ligação que este balcão já viu.`,
        },
        typicalOutageMin: {
          name: 'Falha de ligação presumida',
          words: (v: number) => `Antes de ver as suas, um balcão conta com falhas de ${v} minutos.`,
        },
        allotmentMinSeats: {
          name: 'Lugares reservados: mínimo',
          words: (v: number) =>
            `Um balcão guarda pelo menos ${v} lugar${v === 1 ? '' : 'es'} para cada sessão ainda à venda.`,
        },
        allotmentMaxSeats: {
          name: 'Lugares reservados: máximo',
          words: (v: number) =>
            v === 0
              ? 'Nenhum lugar reservado por sessão.'
              : `Nunca mais de ${v} lugares nas mãos de um balcão por sessão.`,
        },
      } as Record<string, { name: string; words(v: number): string }>,
      staffTitle: 'Pessoal e PINs',
      roles: { desk: 'balcão', supervisor: 'supervisor' } as Record<string, string>,
      locked: 'bloqueado',
      member: 'Membro do pessoal',
      newPin: 'Novo PIN',
      yourPin: 'O seu PIN (supervisor)',
      setPin: 'Definir o PIN',
      pinSet: (name: string) => `${name} tem um novo PIN (e já não está bloqueado).`,
      auditTitle: 'Registo de auditoria',
      audit: 'Verificar o registo de auditoria e a base de dados',
      auditOk: (rows: number) =>
        `O registo de auditoria está intacto (${rows} entradas) e a base de dados passou a verificação completa.`,
      auditBad: 'A verificação falhou.',
    },
    printers: {
      title: 'Impressoras',
      none: 'Nenhuma impressora configurada nesta estação.',
      state: (s: string | null) =>
        s === null
          ? 'Estado desconhecido (ainda não verificado)'
          : ((
              {
                ready: 'Online, pronta',
                paper_out: 'Sem papel',
                cover_open: 'Tampa aberta',
                offline: 'Offline',
                error: 'Com erro',
                unreachable: 'Inacessível',
                not_responding: 'Não responde',
                unknown: 'Estado desconhecido',
              } as Record<string, string>
            )[s] ?? s),
      paperLow: 'pouco papel',
      checked: (t: string) => `verificada às ${t}`,
      testPage: 'Imprimir página de teste',
      testDone: (uri: string, outcome: string) => `Página de teste em ${uri}: ${outcome}`,
      voidsTitle: 'Crachás que já não abrem portas',
      noVoids: 'Nenhum.',
      void: (name: string, version: number, time: string, reason: string) =>
        `${name}, versão ${version}, anulado às ${time}: ${reason}`,
      previewTitle: 'Um crachá em cada impressora',
      previewFind: 'O crachá de quem? (nome, e-mail ou código)',
      previewAlt: (name: string, uri: string) => `Crachá de ${name} tal como ${uri} o imprime`,
      logTitle: 'Registo de impressão (mais recente primeiro)',
    },
    toast: { close: 'Fechar' },
  },
  door: {
    chooseTitle: 'Que porta é esta?',
    entrance: 'Entrada do recinto (qualquer crachá válido)',
    scanTitle: (where: string) => `A ler: ${where}`,
    scanHint: 'Leia um crachá com o leitor, ou ligue a câmara.',
    change: 'Mudar de porta',
    useCamera: 'Usar a câmara',
    stopCamera: 'Desligar a câmara',
    cameraDenied: 'A câmara não pode ser usada aqui. Use o leitor de mão.',
    counts: (n: number, cap: number) => `${n} dentro · ${cap} lugares`,
    countsEntrance: (n: number) => `${n} entradas hoje`,
    welcome: (name: string) => `Bem-vindo, ${name}`,
    again: (time: string) => `Já entrou às ${time} — pode deixar passar.`,
    valid: 'Crachá válido',
    refused: 'Entrada recusada',
    reasons: {
      malformed: 'Isto não é um código de crachá Lanyard.',
      wrong_conference: 'Este crachá é de outra conferência.',
      unknown_key: 'Assinatura desconhecida: este posto não conhece o posto que o imprimiu.',
      bad_signature: 'Crachá falsificado ou danificado: a assinatura não confere.',
      revoked: 'Este crachá foi anulado. Encaminhe para o balcão.',
      superseded: 'Um crachá mais recente substituiu este. Encaminhe para o balcão.',
    },
    noSeat: 'Este crachá não tem lugar nesta sessão. Encaminhe para o balcão.',
    next: 'Próximo crachá',
  },
  // ---- a consola do supervisor, segunda parte da issue 14 ----
  consoleSetup: {
    saveTitle: 'Alterar a configuração deste posto',
    saveLead:
      'As impressoras e a política de venda aplicam-se de imediato. Um novo id, modo ou ligação só vale depois de reiniciar o posto.',
    stationId: 'Id do posto',
    mode: 'Modo',
    newConnection: 'Nova cadeia de ligação (vazio: manter a atual)',
    connectionFailed: (why: string) => `Esta cadeia de ligação não funciona: ${why} Nada foi guardado.`,
    removeConnection: 'Remover a ligação (o posto passa a trabalhar sozinho)',
    printers: 'Impressoras, uma por linha (tcp://…, usb:…, folder:…)',
    policyHint: 'Vazio: o valor da conferência (ou o do Lanyard).',
    onStation: 'Este posto',
    finding: 'Simulado',
    findingRun: (days: number) =>
      `O que o simulador encontrou: ${days} dias simulados, cada balcão desligado cerca de duas em duas horas durante 20 minutos; por dia, lugares vendidos a mais e compradores recusados com lugares livres.`,
    findingWords: (v: string, oversold: number, refused: number, other: string, o2: number, r2: number) =>
      `Com ${v}: ${fmt(oversold)} a mais, ${fmt(refused)} recusados. Com ${other}: ${fmt(o2)} a mais, ${fmt(r2)} recusados.`,
    notSimulated: 'Não simulado (o simulador conta minutos inteiros).',
    yourPin: 'O seu PIN (supervisor)',
    save: 'Testar e guardar',
    saving: 'A testar e guardar…',
    nothingChanged: 'Nada mudou; nada foi guardado.',
    fields: {
      stationId: 'id do posto',
      mode: 'modo',
      connection: 'ligação',
      printers: 'impressoras',
      policy: 'política de venda',
    } as Record<string, string>,
    savedNow: (fields: string) => `Guardado e já em vigor: ${fields}.`,
    savedRestart: (fields: string) => `Guardado: ${fields}. Reinicie o posto para entrar em vigor.`,
    pendingRestart: (fields: string) => `Guardado, à espera de reiniciar: ${fields}.`,
    addStaffTitle: 'Adicionar um membro da equipa',
    staffId: 'Id (letras e algarismos, p. ex. ana)',
    staffName: 'Nome',
    role: 'Função',
    pin: 'O PIN da pessoa (4 a 12 algarismos)',
    add: 'Adicionar',
    added: (name: string) => `${name} já pode entrar.`,
    supportTitle: 'Suporte',
    bundle: 'Descarregar um pacote de suporte',
    bundling: 'A recolher…',
    bundled: (kb: number, file: string) =>
      `Descarregado (${kb} KB; também guardado no posto como ${file}). Sem dados pessoais além de ids.`,
    boardFull: 'Esgotado: a sede recusaria agora uma venda aqui',
    boardOnline: 'Este balcão pode vender: a sede confirma cada venda',
    toasts: {
      caseOpened: (session: string) => `Vendido a mais: ${session}`,
      caseOpenedText: (person: string, station: string | null, over: number, due: string) =>
        `O lugar de ${person} (vendido ${station ? `em ${station}` : 'neste balcão'}, ${over} a mais) precisa de um supervisor até às ${due}.`,
      caseEscalated: (session: string) => `Prazo a acabar: ${session}`,
      caseEscalatedText: (person: string, due: string) =>
        `O lugar vendido a mais de ${person} termina o prazo às ${due}; depois a sede decide pela regra da conferência.`,
      notApplied: (action: string, session: string) => `A sua ${action} não foi aplicada: ${session}`,
      lostText: (person: string, by: string) =>
        `O caso de ${person} já estava resolvido ${by === 'here' ? 'neste balcão' : by === 'deadline' ? 'pela sede no fim do prazo' : `em ${by}`}. Nada do seu pedido foi aplicado.`,
      refusedText: (reason: string) => `A sede recusou: ${reason} O caso continua aberto.`,
      actions: {
        honor: 'manutenção',
        reverse: 'anulação',
        move: 'mudança',
        waitlist: 'lista de espera',
        refuse: 'recusa',
      } as Record<string, string>,
    },
  },
};
