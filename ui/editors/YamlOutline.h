// Which manifest field each line of a YAML text is about ("spec.rules[0].matches"), worked out from
// indentation alone so it also works while the text does not parse. The resource editor uses it to
// put an apply error on the field's line and to know where completion is asked for.
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace quarry::ui {

class YamlOutline
{
public:
    explicit YamlOutline(const QString &text);

    // The field a line holds, in FieldReader's notation ("spec.policies.tls.sni"); empty for
    // blank lines, comments, separators and block-scalar text.
    QString pathAt(int line) const;
    // The 0-based line of `path`, or of its deepest ancestor written in the text; -1 when not even
    // the first part (e.g. "spec") is there.
    int lineOf(const QString &path) const;
    // The object a key typed at `column` on `line` would belong to, as parts ("spec", "rules",
    // "[]", "matches"): "[]" stands for a list item. Lines after `line` do not matter.
    QStringList parentAt(int line, int column) const;
    // The keys already written beside a key typed at `column` on `line` (same object, other lines),
    // so completion does not offer a field twice.
    QStringList siblingKeys(int line, int column) const;

private:
    struct Level
    {
        int indent = 0;
        QString part;      // "name" or "[3]"
        bool item = false; // a "- " list item
        int items = 0;     // list items seen under this key
    };
    static QString join(const QList<Level> &stack);
    // Moves `stack` past one line; returns false for lines that hold no key or item.
    static bool step(QList<Level> &stack, const QString &line, int &blockIndent);

    QStringList m_lines;
    QStringList m_paths;
};

} // namespace quarry::ui
