// A two-column table of name/value rows with Add and Remove buttons: model aliases, request
// defaults and overrides, provider groups' rows, route matches. Rows with an empty first cell
// are left out of rows(), so a half-filled new row is not an edit of the resource yet.
#pragma once

#include <QList>
#include <QPair>
#include <QWidget>

class QTableWidget;
class QPushButton;

namespace quarry::ui {

class KeyValueTable : public QWidget
{
    Q_OBJECT
public:
    using Row = QStringList; // one cell text per column

    KeyValueTable(const QString &accessibleName, const QStringList &headers, QWidget *parent = nullptr);

    // Cells of `column` are edited with a combo box listing `choices`; `editable` lets the user
    // type a value that is not listed (a backend not created yet).
    void setColumnChoices(int column, const QStringList &choices, bool editable);
    QStringList columnChoices(int column) const;
    // A column as wide as its contents (a weight, a group number); the others share the rest.
    void setNarrowColumn(int column);

    QList<Row> rows() const;
    void setRows(const QList<Row> &rows);
    QTableWidget *table() const { return m_table; }
    QPushButton *addButton() const { return m_add; }
    QPushButton *removeButton() const { return m_remove; }

public Q_SLOTS:
    void addRow();
    void removeCurrentRow();

Q_SIGNALS:
    void edited();

private:
    void fitHeight();

    QTableWidget *m_table;
    QPushButton *m_add;
    QPushButton *m_remove;
    bool m_filling = false;
};

} // namespace quarry::ui
