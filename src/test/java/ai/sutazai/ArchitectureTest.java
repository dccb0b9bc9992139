package ai.sutazai;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layout rules of DESIGN.md, held against the compiled main classes: no package cycles, Main alone in the
 * root package, rooms of at most 25 files, arrows that point down the hierarchy and toward fleet, runtime and
 * common, and the other rooms asking the supervisor through its protocol only.
 */
class ArchitectureTest {
  private static final int MAX_FILES_PER_PACKAGE = 25;
  private static JavaClasses main;

  @BeforeAll
  static void importMainClasses() {
    main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("ai.sutazai");
  }

  @Test
  void noPackageCycles() {
    slices().matching("ai.sutazai.(**)").should().beFreeOfCycles().check(main);
  }

  @Test
  void theRootPackageHoldsOnlyMain() {
    classes().that().resideInAPackage("ai.sutazai").and().areTopLevelClasses().should().haveSimpleName("Main").check(main);
  }

  @Test
  void noPackageHoldsMoreThan25Files() {
    Map<String, Long> files = main.stream().filter(JavaClass::isTopLevelClass)
        .collect(Collectors.groupingBy(JavaClass::getPackageName, TreeMap::new, Collectors.counting()));
    Map<String, Long> crowded = new TreeMap<>(files);
    crowded.values().removeIf(n -> n <= MAX_FILES_PER_PACKAGE);
    assertEquals(Map.of(), crowded, "packages over " + MAX_FILES_PER_PACKAGE + " files: split them by concept");
  }

  /** The shared bottom depends on no other package of the product. */
  @Test
  void commonDependsOnNothingElse() {
    noClasses().that().resideInAPackage("ai.sutazai.common..")
        .should().dependOnClassesThat().resideInAnyPackage("ai.sutazai", "ai.sutazai.app..", "ai.sutazai.cli..",
            "ai.sutazai.api..", "ai.sutazai.front..", "ai.sutazai.inference..", "ai.sutazai.supervisor..",
            "ai.sutazai.metrics..", "ai.sutazai.capacity..", "ai.sutazai.cluster..", "ai.sutazai.fleet..",
            "ai.sutazai.runtime..")
        .check(main);
  }

  /** The shared bottom and the plain data depend on no room above them. */
  @Test
  void commonFleetAndRuntimeDependOnNoRoomAbove() {
    noClasses().that().resideInAnyPackage("ai.sutazai.common..", "ai.sutazai.fleet..", "ai.sutazai.runtime..")
        .should().dependOnClassesThat().resideInAnyPackage("ai.sutazai.app..", "ai.sutazai.cli..", "ai.sutazai.api..",
            "ai.sutazai.inference..", "ai.sutazai.supervisor..", "ai.sutazai.metrics..", "ai.sutazai.capacity..",
            "ai.sutazai.cluster..")
        .check(main);
  }

  /** The api, the inference router, the agent front and the metrics ask the supervisor through its protocol, never reach into its state. */
  @Test
  void otherRoomsReachTheSupervisorOnlyThroughItsProtocol() {
    noClasses().that().resideInAnyPackage("ai.sutazai.api..", "ai.sutazai.inference..", "ai.sutazai.front..",
            "ai.sutazai.metrics..", "ai.sutazai.capacity..")
        .should().dependOnClassesThat().resideInAnyPackage("ai.sutazai.supervisor", "ai.sutazai.supervisor.pool..",
            "ai.sutazai.supervisor.agent..", "ai.sutazai.supervisor.container..", "ai.sutazai.supervisor.rightsizing..",
            "ai.sutazai.supervisor.placement..")
        .allowEmptyShould(true)
        .check(main);
  }

  /** Arrows point down the hierarchy: FleetSupervisor -> AgentPool -> AgentEntity -> ContainerActor. */
  @Test
  void theSupervisorsRoomsPointDownTheHierarchy() {
    noClasses().that().resideInAnyPackage("ai.sutazai.supervisor.pool..")
        .should().dependOnClassesThat().resideInAnyPackage("ai.sutazai.supervisor", "ai.sutazai.supervisor.rightsizing..",
            "ai.sutazai.supervisor.healthfix..")
        .check(main);
    noClasses().that().resideInAnyPackage("ai.sutazai.supervisor.agent..")
        .should().dependOnClassesThat().resideInAnyPackage("ai.sutazai.supervisor", "ai.sutazai.supervisor.pool..",
            "ai.sutazai.supervisor.rightsizing..", "ai.sutazai.supervisor.healthfix..")
        .check(main);
    noClasses().that().resideInAnyPackage("ai.sutazai.supervisor.container..")
        .should().dependOnClassesThat().resideInAnyPackage("ai.sutazai.supervisor", "ai.sutazai.supervisor.pool..",
            "ai.sutazai.supervisor.agent..", "ai.sutazai.supervisor.rightsizing..", "ai.sutazai.supervisor.healthfix..")
        .check(main);
    noClasses().that().resideInAnyPackage("ai.sutazai.supervisor.protocol..", "ai.sutazai.supervisor.settings..")
        .should().dependOnClassesThat().resideInAnyPackage("ai.sutazai.supervisor", "ai.sutazai.supervisor.pool..",
            "ai.sutazai.supervisor.agent..", "ai.sutazai.supervisor.container..", "ai.sutazai.supervisor.rightsizing..",
            "ai.sutazai.supervisor.healthfix..", "ai.sutazai.supervisor.placement..")
        .check(main);
  }

  /** The ledger is the pool's pure decision code: no actor context, no timers, no messages sent. */
  @Test
  void thePoolsLedgerUsesNoActors() {
    noClasses().that().resideInAPackage("ai.sutazai.supervisor.pool.ledger..")
        .should().dependOnClassesThat().resideInAnyPackage("akka.actor..", "akka.cluster..", "akka.persistence..",
            "ai.sutazai.supervisor.pool")
        .check(main);
  }

  /** The supervisor does not know the cluster's wiring: cluster and app wire it, not the other way round. */
  @Test
  void theSupervisorDoesNotDependOnTheWiringAboveIt() {
    noClasses().that().resideInAnyPackage("ai.sutazai.supervisor..")
        .should().dependOnClassesThat().resideInAnyPackage("ai.sutazai.cluster..", "ai.sutazai.app..", "ai.sutazai.cli..",
            "ai.sutazai.api..", "ai.sutazai.inference..", "ai.sutazai.front..")
        .check(main);
  }

  /** Picocli commands live in cli. */
  @Test
  void everyCommandLivesInCli() {
    classes().that().areAnnotatedWith(picocli.CommandLine.Command.class).and().doNotHaveSimpleName("Main")
        .should().resideInAPackage("ai.sutazai.cli..").check(main);
  }

  /**
   * Test kits stay in tests: the journal's tables come from Flyway migrations (common.JournalSchema), not from
   * akka-persistence-jdbc's testkit SchemaUtils, which its documentation reserves for tests; the shaded jar
   * leaves the testkit out (pom.xml), so a main class using it would fail at run time.
   */
  @Test
  void noTestKitInMainCode() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("akka.persistence.jdbc.testkit..",
        "akka.actor.testkit..", "akka.persistence.testkit..").check(main);
  }
}
