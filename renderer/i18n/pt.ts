/** Every word a screen shows, in European Portuguese (the demo conference is in Lisbon). Same shape as en.ts. */
import type { FailedCondition } from '../../core/policy';
import type { Words } from './en';

const pct = (r: number) => `${(Math.round(r * 1000) / 10).toString().replace('.', ',')}%`;
/** "qua, 2/12" for a YYYY-MM-DD day (noon UTC, so the weekday is that date's in every zone). */
const dayWords = (date: string) => new Date(`${date}T12:00:00Z`).toLocaleDateString('pt-PT', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
const mins = (m: number) => (m < 1 ? 'menos de um minuto' : m < 120 ? `${Math.round(m)} min` : `${(m / 60).toFixed(1).replace('.', ',')} h`);

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
    noStaff: 'Ainda não há equipa neste posto. Um supervisor adiciona-a na linha de comandos: npm run station -- --db FICHEIRO staff-add …',
    time: (iso: string) => new Date(iso).toLocaleTimeString('pt-PT', { hour: '2-digit', minute: '2-digit' }),
    stationName: (origin: string) => origin.replace(/^station:/, ''),
  },
  header: {
    modes: { kiosk: 'Quiosque de crachás', desk: 'Balcão de registo', door: 'Controlo de entrada', supervisor: 'Supervisão' },
    station: (id: string) => `Posto ${id}`,
    link: { online: 'Ligado', offline: 'Sem ligação', connecting: 'A ligar…', degraded: 'Ligação instável', alone: 'A trabalhar sozinho' },
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
        return f.what === 'seats' ? 'Os números de lugares desta sessão ainda não são válidos: sincronize com a sede.' : 'As regras de venda desta sessão não são válidas: verifique a configuração.';
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
    uncertainBody: 'Aguarde aqui, por favor: alguém da equipa vai verificar a impressora. Não o imprimiremos duas vezes.',
    staffCheck: 'Equipa: verificar a impressora',
    didItPrint: 'O crachá saiu da impressora?',
    itPrinted: 'Sim, foi impresso',
    itDidNot: 'Não — imprimir de novo',
    alreadyTitle: 'O seu crachá já foi impresso',
    alreadyBody: (station: string, time: string) => `Foi impresso em ${station} às ${time}. Para um novo, dirija-se ao balcão de registo.`,
    needsDesk: 'Este crachá precisa da equipa. Dirija-se ao balcão de registo, por favor.',
    goToDesk: 'Dirija-se ao balcão de registo, por favor.',
    startOver: 'Recomeçar',
    stillThere: 'Ainda está aí? Este ecrã vai recomeçar dentro de momentos.',
  },
  desk: {
    tabs: { find: 'Procurar e imprimir', walkup: 'Inscrição no local', sessions: 'Sessões', queue: 'Fila de impressão', alerts: 'Alertas' },
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
    reprintReasons: ['Crachá perdido', 'Crachá danificado', 'Nome mal escrito', 'Impresso duas vezes em dois quiosques'],
    otherReason: 'Outro motivo',
    reasonNeeded: 'Indique o motivo da reimpressão.',
    addSession: 'Adicionar sessão',
    release: 'Libertar lugar',
    releaseReason: 'Porque é libertado o lugar?',
    released: 'Lugar libertado.',
    jobOutcome: { queued: 'Em fila', sending: 'A imprimir…', printed: 'Impresso', failed: 'Falhou — nada impresso', uncertain: 'Incerto — verifique a impressora' },
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
        no_verdict_not_covered: 'A sede ainda não respondeu e este balcão não pode vender sozinho. Aguarde, ou cancele a venda.',
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
};
