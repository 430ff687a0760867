# bash completion for hazcheck: subcommands, each command's own options (from
# `hazcheck help CMD`, so it follows the binary), pack ids and site ids.
_hazcheck()
{
    local cur prev words cword
    _init_completion 2>/dev/null || { cur=${COMP_WORDS[COMP_CWORD]}; prev=${COMP_WORDS[COMP_CWORD-1]}; words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD; }
    local cmd="" i
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
            -*) ;;
            *) case ${words[i-1]} in --db|--packs|--rules|--site|--today|--format|-o|--output|--user|--note|--cost|--to|--amount|--date|--basis|--status|--inspector|--evidence|--since|--until|--by|--junit|--min-coverage|--reason) ;; *) cmd=${words[i]}; break ;; esac ;;
        esac
    done
    if [[ -z $cmd ]]; then
        COMPREPLY=($(compgen -W "$(hazcheck --help 2>/dev/null | sed -n 's/^  \([a-z]\+\) .*/\1/p' | sort -u) help" -- "$cur"))
        return
    fi
    case $prev in
        --format) COMPREPLY=($(compgen -W "$(hazcheck help "$cmd" 2>/dev/null | sed -n 's/^  --format F *output format: //p')" -- "$cur")); return ;;
        --by) COMPREPLY=($(compgen -W "district squad industry checklist month" -- "$cur")); return ;;
        --status) COMPREPLY=($(compgen -W "open rectified verified overdue" -- "$cur")); return ;;
        --site) COMPREPLY=($(compgen -f -- "$cur") $(compgen -W "$(hazcheck site list 2>/dev/null | awk 'NR>1 {print $1}')" -- "$cur")); return ;;
        --db|--packs|--rules|-o|--output|--junit|--evidence) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(hazcheck help "$cmd" 2>/dev/null | sed -n 's/^  \(--[a-z-]\+\).*/\1/p')" -- "$cur"))
        return
    fi
    case $cmd in
        show|template|inspect|lint|test) COMPREPLY=($(compgen -W "$(hazcheck packs 2>/dev/null | awk 'NR>1 {print $1}')" -- "$cur") $(compgen -f -- "$cur")) ;;
        help) COMPREPLY=($(compgen -W "$(hazcheck --help 2>/dev/null | sed -n 's/^  \([a-z]\+\) .*/\1/p' | sort -u)" -- "$cur")) ;;
        *) COMPREPLY=($(compgen -f -- "$cur")) ;;
    esac
}
complete -F _hazcheck hazcheck
