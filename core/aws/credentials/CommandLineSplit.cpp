// credential_process command lines split as botocore does (its compat_shell_split: shlex.split on
// POSIX, _windows_shell_split on Windows); the rules are restated here, not copied.
#include "aws/credentials/CommandLineSplit.h"

using namespace Qt::StringLiterals;

namespace quarry::aws {

namespace {

bool isPosixSpace(QChar c)
{
    return c == u' ' || c == u'\t' || c == u'\r' || c == u'\n';
}

} // namespace

Result<QStringList> CommandLineSplit::posix(const QString &command)
{
    enum class State { Between, Word, Single, Double };
    QStringList words;
    QString word;
    State state = State::Between;
    for (qsizetype i = 0; i < command.size(); ++i) {
        const QChar c = command.at(i);
        switch (state) {
        case State::Between:
        case State::Word:
            if (isPosixSpace(c)) {
                if (state == State::Word)
                    words.append(std::exchange(word, QString()));
                state = State::Between;
            } else if (c == u'\\') {
                if (i + 1 >= command.size())
                    return Result<QStringList>::failure(u"it ends with a backslash that escapes nothing"_s);
                word.append(command.at(++i));
                state = State::Word;
            } else if (c == u'\'') {
                state = State::Single;
            } else if (c == u'"') {
                state = State::Double;
            } else {
                word.append(c);
                state = State::Word;
            }
            break;
        case State::Single:
            if (c == u'\'')
                state = State::Word;
            else
                word.append(c);
            break;
        case State::Double:
            if (c == u'"') {
                state = State::Word;
            } else if (c == u'\\' && i + 1 < command.size() &&
                       (command.at(i + 1) == u'"' || command.at(i + 1) == u'\\')) {
                word.append(command.at(++i)); // only the quote and the backslash itself are escaped
            } else {
                word.append(c);
            }
            break;
        }
    }
    if (state == State::Single || state == State::Double)
        return Result<QStringList>::failure(u"a quotation is not closed"_s);
    if (state == State::Word)
        words.append(word);
    return words;
}

Result<QStringList> CommandLineSplit::windows(const QString &command)
{
    QStringList words;
    QString word;
    bool inWord = false; // "" makes an (empty) word too
    bool quoted = false;
    qsizetype backslashes = 0;
    const auto flushBackslashes = [&] {
        word.append(QString(backslashes, u'\\'));
        backslashes = 0;
    };
    for (const QChar c : command) {
        if (c == u'\\') {
            ++backslashes;
            inWord = true;
        } else if (c == u'"') {
            // 2n backslashes before a quote are n backslashes and the quote toggles; 2n+1 are n
            // backslashes and a literal quote.
            word.append(QString(backslashes / 2, u'\\'));
            const bool escaped = backslashes % 2 == 1;
            backslashes = 0;
            inWord = true;
            if (escaped)
                word.append(u'"');
            else
                quoted = !quoted;
        } else if ((c == u' ' || c == u'\t') && !quoted) {
            flushBackslashes();
            if (inWord)
                words.append(std::exchange(word, QString()));
            inWord = false;
        } else {
            flushBackslashes();
            word.append(c);
            inWord = true;
        }
    }
    flushBackslashes();
    if (quoted)
        return Result<QStringList>::failure(u"a quotation is not closed"_s);
    if (inWord)
        words.append(word);
    return words;
}

Result<QStringList> CommandLineSplit::native(const QString &command)
{
#ifdef Q_OS_WIN
    return windows(command);
#else
    return posix(command);
#endif
}

} // namespace quarry::aws
