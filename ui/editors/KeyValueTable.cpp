// Editable rows of text cells for the resource forms.
#include "editors/KeyValueTable.h"

#include <QComboBox>
#include <algorithm>
#include <QHBoxLayout>
#include <QStyledItemDelegate>
#include <QHeaderView>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace quarry::ui {

namespace {
// Tables grow with their rows up to this many, then scroll: the form stays on one screen.
constexpr int kVisibleRowsMax = 5;
// Edits a cell with a combo box of known values.
class ChoiceDelegate : public QStyledItemDelegate
{
public:
    ChoiceDelegate(const QStringList &choices, bool editable, QObject *parent)
        : QStyledItemDelegate(parent)
        , m_choices(choices)
        , m_editable(editable)
    {
    }
    QStringList choices() const { return m_choices; }

    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &, const QModelIndex &) const override
    {
        auto *combo = new QComboBox(parent);
        combo->setEditable(m_editable);
        combo->addItems(m_choices);
        return combo;
    }
    void setEditorData(QWidget *editor, const QModelIndex &index) const override
    {
        auto *combo = static_cast<QComboBox *>(editor);
        const QString text = index.data().toString();
        const int at = combo->findText(text);
        if (at >= 0)
            combo->setCurrentIndex(at);
        else if (m_editable)
            combo->setEditText(text);
    }
    void setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const override
    {
        model->setData(index, static_cast<QComboBox *>(editor)->currentText().trimmed());
    }

private:
    QStringList m_choices;
    bool m_editable;
};

} // namespace

KeyValueTable::KeyValueTable(const QString &accessibleName, const QStringList &headers, QWidget *parent)
    : QWidget(parent)
    , m_table(new QTableWidget(0, int(headers.size()), this))
    , m_add(new QPushButton(u"Add"_s, this))
    , m_remove(new QPushButton(u"Remove"_s, this))
{
    m_table->setHorizontalHeaderLabels(headers);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->verticalHeader()->setVisible(false);
    m_table->setAccessibleName(accessibleName);
    m_table->setTabKeyNavigation(false); // Tab leaves the table, as in the rest of the form
    m_add->setAccessibleName(u"Add to %1"_s.arg(accessibleName));
    m_remove->setAccessibleName(u"Remove from %1"_s.arg(accessibleName));
    // Buttons under the table, so the table has the form's whole width for its columns.
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_add);
    buttons->addWidget(m_remove);
    buttons->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_table);
    layout->addLayout(buttons);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed); // as tall as its rows, not the page
    connect(m_add, &QPushButton::clicked, this, &KeyValueTable::addRow);
    connect(m_remove, &QPushButton::clicked, this, &KeyValueTable::removeCurrentRow);
    connect(m_table, &QTableWidget::itemChanged, this, [this] {
        if (!m_filling)
            Q_EMIT edited();
    });
    fitHeight();
}

void KeyValueTable::setNarrowColumn(int column)
{
    m_table->horizontalHeader()->setSectionResizeMode(column, QHeaderView::ResizeToContents);
}

void KeyValueTable::setColumnChoices(int column, const QStringList &choices, bool editable)
{
    if (columnChoices(column) == choices && m_table->itemDelegateForColumn(column))
        return;
    QAbstractItemDelegate *old = m_table->itemDelegateForColumn(column);
    m_table->setItemDelegateForColumn(column, new ChoiceDelegate(choices, editable, m_table));
    if (old)
        old->deleteLater(); // an editor it opened may still be closing
}

QStringList KeyValueTable::columnChoices(int column) const
{
    const auto *delegate = dynamic_cast<ChoiceDelegate *>(m_table->itemDelegateForColumn(column));
    return delegate ? delegate->choices() : QStringList();
}

QList<KeyValueTable::Row> KeyValueTable::rows() const
{
    QList<Row> rows;
    for (int r = 0; r < m_table->rowCount(); ++r) {
        Row row;
        for (int c = 0; c < m_table->columnCount(); ++c) {
            const QTableWidgetItem *item = m_table->item(r, c);
            row.append(item ? item->text().trimmed() : QString());
        }
        if (!row.first().isEmpty())
            rows.append(row);
    }
    return rows;
}

void KeyValueTable::setRows(const QList<Row> &rows)
{
    m_filling = true;
    m_table->setRowCount(0);
    for (const Row &row : rows) {
        const int r = m_table->rowCount();
        m_table->insertRow(r);
        for (int c = 0; c < m_table->columnCount(); ++c) {
            auto *item = new QTableWidgetItem(row.value(c));
            item->setToolTip(row.value(c)); // long IDs are elided in narrow columns
            m_table->setItem(r, c, item);
        }
    }
    m_filling = false;
    fitHeight();
}

void KeyValueTable::addRow()
{
    m_filling = true;
    const int r = m_table->rowCount();
    m_table->insertRow(r);
    for (int c = 0; c < m_table->columnCount(); ++c)
        m_table->setItem(r, c, new QTableWidgetItem);
    m_filling = false;
    fitHeight();
    m_table->setCurrentCell(r, 0);
    m_table->editItem(m_table->item(r, 0));
}

void KeyValueTable::removeCurrentRow()
{
    const int r = m_table->currentRow();
    if (r < 0)
        return;
    m_table->removeRow(r);
    fitHeight();
    Q_EMIT edited();
}

void KeyValueTable::fitHeight()
{
    const int shown = std::clamp(int(m_table->rowCount()), 1, kVisibleRowsMax);
    const int rowHeight = m_table->verticalHeader()->defaultSectionSize();
    m_table->setFixedHeight(m_table->horizontalHeader()->sizeHint().height() + shown * rowHeight
                            + 2 * m_table->frameWidth());
}

} // namespace quarry::ui
